//! The byte-level pieces of the `.aslb` format: the writer and reader every generated
//! encoder and decoder uses, and the [`Field`] trait that says, once per field type, how a
//! value is written, read, verified against the program and shown in a listing.
//!
//! Every read is bounds-checked and returns [`DecodeError`] instead of panicking, so a
//! truncated or corrupt file is an error value.

use std::fmt::Write as _;

use crate::Program;

/// Why a `.aslb` file could not be loaded.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum DecodeError {
    /// The file does not start with the `.aslb` magic bytes.
    #[error("not an aslc bytecode file (bad magic bytes)")]
    BadMagic,
    /// The file was written by another format version.
    #[error("unsupported bytecode format version {found} (this build reads version {expected})")]
    WrongVersion {
        /// The version in the file.
        found: u16,
        /// The version this build reads.
        expected: u16,
    },
    /// The checksum in the header does not match the body.
    #[error("checksum mismatch: the file is corrupt")]
    BadChecksum,
    /// The file ends in the middle of a value.
    #[error("unexpected end of file at byte {0}")]
    Truncated(usize),
    /// A value could not be decoded.
    #[error("malformed {what} at byte {at}")]
    Malformed {
        /// What was being read.
        what: &'static str,
        /// Where.
        at: usize,
    },
    /// Bytes remain after the last table.
    #[error("{0} unexpected bytes after the last table")]
    TrailingBytes(usize),
    /// The tables decode but are inconsistent (an index out of range, a bad expression).
    #[error("invalid program: {0}")]
    Invalid(String),
}

/// Appends little-endian values to a buffer.
#[derive(Default)]
pub struct Writer {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// Writes one byte.
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    /// Writes a `u16`.
    pub fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `u32`.
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `u64`.
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a length-prefixed UTF-8 string.
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

/// Reads little-endian values from a byte slice, failing on truncation.
pub struct Reader<'a> {
    bytes: &'a [u8],
    /// The offset of the next byte.
    pub pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or(DecodeError::Truncated(self.pos))?;
        let slice = self.bytes.get(self.pos..end).ok_or(DecodeError::Truncated(self.pos))?;
        self.pos = end;
        Ok(slice)
    }

    /// Reads one byte.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    /// Reads a `u16`.
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    /// Reads a `u32`.
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads a `u64`.
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// Reads a length-prefixed UTF-8 string.
    pub fn str(&mut self) -> Result<Box<str>, DecodeError> {
        let at = self.pos;
        let len = self.u32()? as usize;
        if len > self.remaining() {
            return Err(DecodeError::Truncated(self.pos));
        }
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map(Into::into).map_err(|_| DecodeError::Malformed { what: "string", at })
    }

    /// Reads a table length, refusing lengths the remaining bytes cannot hold (each
    /// element takes at least one byte), so a corrupt length never reserves gigabytes.
    pub fn table_len(&mut self) -> Result<usize, DecodeError> {
        let at = self.pos;
        let n = self.u32()? as usize;
        if n > self.remaining() {
            return Err(DecodeError::Malformed { what: "table length", at });
        }
        Ok(n)
    }
}

/// One field type of a bytecode record: how it is written, read, checked and shown.
/// The record tables (`tables.rs`) are declared once; their encoder, decoder, verifier
/// and disassembler call these methods field by field.
pub trait Field: Sized {
    /// Appends the value.
    fn write(&self, w: &mut Writer);
    /// Reads a value.
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
    /// Checks that every index inside the value is in range.
    fn verify(&self, _program: &Program) -> Result<(), String> {
        Ok(())
    }
    /// Writes the value for a listing.
    fn show(&self, program: &Program, out: &mut String);
}

impl Field for u8 {
    fn write(&self, w: &mut Writer) {
        w.u8(*self);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u8()
    }
    fn show(&self, _: &Program, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl Field for u32 {
    fn write(&self, w: &mut Writer) {
        w.u32(*self);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32()
    }
    fn show(&self, _: &Program, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl Field for bool {
    fn write(&self, w: &mut Writer) {
        w.u8(u8::from(*self));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = r.pos;
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::Malformed { what: "boolean", at }),
        }
    }
    fn show(&self, _: &Program, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl Field for f64 {
    fn write(&self, w: &mut Writer) {
        w.u64(self.to_bits());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(f64::from_bits(r.u64()?))
    }
    /// Every float of the format is a duration, a rate or a count: finite and not
    /// negative. (A NaN also breaks equality of decoded programs; found by fuzzing.)
    fn verify(&self, _program: &Program) -> Result<(), String> {
        if self.is_finite() && *self >= 0.0 {
            Ok(())
        } else {
            Err(format!("{self} is not a finite, non-negative number"))
        }
    }
    fn show(&self, _: &Program, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl<T: Field> Field for Option<T> {
    fn write(&self, w: &mut Writer) {
        match self {
            None => w.u8(0),
            Some(v) => {
                w.u8(1);
                v.write(w);
            }
        }
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = r.pos;
        match r.u8()? {
            0 => Ok(None),
            1 => Ok(Some(T::read(r)?)),
            _ => Err(DecodeError::Malformed { what: "option tag", at }),
        }
    }
    fn verify(&self, program: &Program) -> Result<(), String> {
        match self {
            Some(v) => v.verify(program),
            None => Ok(()),
        }
    }
    fn show(&self, program: &Program, out: &mut String) {
        match self {
            Some(v) => v.show(program, out),
            None => out.push('-'),
        }
    }
}

/// FNV-1a, 64 bits: the body checksum of a `.aslb` file. It detects corruption, not
/// tampering.
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
