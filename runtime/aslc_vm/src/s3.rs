//! The S3 objects a Distributed Map reads (`ItemReader`) and writes (`ResultWriter`),
//! given locally: a folder in which the object `s3://BUCKET/KEY` is the file `BUCKET/KEY`
//! (runtime-map-parallel.md §5, "Mock S3").
//!
//! Listing walks the bucket's folder and returns keys in S3's order (by UTF-8 bytes), with
//! the MD5 of each file as its ETag and its modification time as `LastModified`.

use std::path::{Path, PathBuf};

use md5::Digest as _;

/// Bound on folder nesting while listing a bucket.
const MAX_DEPTH: usize = 64;

/// A folder standing for S3.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalS3 {
    root: PathBuf,
}

/// One object of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectInfo {
    /// The key.
    pub key: String,
    /// The size in bytes.
    pub size: u64,
    /// The ETag: the MD5 of the content in hex, in double quotes.
    pub etag: String,
    /// The modification time, in epoch seconds.
    pub last_modified: i64,
}

/// Why an S3 operation failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum S3Error {
    /// The bucket's folder does not exist.
    #[error("the bucket `{0}` does not exist")]
    NoSuchBucket(String),
    /// The object's file does not exist.
    #[error("the object `s3://{0}/{1}` does not exist")]
    NoSuchKey(String, String),
    /// A bucket or key that cannot name a file inside the folder (`..`, empty segments).
    #[error("`s3://{0}/{1}` does not name an object")]
    BadName(String, String),
    /// Reading or writing failed.
    #[error("`s3://{0}/{1}`: {2}")]
    Io(String, String, String),
}

impl LocalS3 {
    /// The S3 of folder `root`.
    pub fn new(root: impl Into<PathBuf>) -> LocalS3 {
        LocalS3 { root: root.into() }
    }

    /// The folder of a bucket, refusing names that would leave the root.
    fn bucket_dir(&self, bucket: &str) -> Result<PathBuf, S3Error> {
        if !safe(bucket) || bucket.contains('/') {
            return Err(S3Error::BadName(bucket.to_owned(), String::new()));
        }
        Ok(self.root.join(bucket))
    }

    /// The file of an object, refusing names that would leave the bucket's folder.
    fn file(&self, bucket: &str, key: &str) -> Result<PathBuf, S3Error> {
        let mut path = self.bucket_dir(bucket)?;
        if !key.split('/').all(safe) {
            return Err(S3Error::BadName(bucket.to_owned(), key.to_owned()));
        }
        path.extend(key.split('/'));
        Ok(path)
    }

    /// The content of an object.
    pub fn get_object(&self, bucket: &str, key: &str) -> Result<Vec<u8>, S3Error> {
        let path = self.file(bucket, key)?;
        std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => S3Error::NoSuchKey(bucket.to_owned(), key.to_owned()),
            _ => S3Error::Io(bucket.to_owned(), key.to_owned(), e.to_string()),
        })
    }

    /// The objects of `bucket` whose key starts with `prefix`, in key order.
    pub fn list_objects(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>, S3Error> {
        let dir = self.bucket_dir(bucket)?;
        if !dir.is_dir() {
            return Err(S3Error::NoSuchBucket(bucket.to_owned()));
        }
        let mut keys = Vec::new();
        walk(&dir, String::new(), 0, &mut keys);
        keys.retain(|k| k.starts_with(prefix));
        keys.sort();
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let path = self.file(bucket, &key)?;
            let io = |e: std::io::Error| S3Error::Io(bucket.to_owned(), key.clone(), e.to_string());
            let bytes = std::fs::read(&path).map_err(io)?;
            let modified = std::fs::metadata(&path).and_then(|m| m.modified()).map_err(io)?;
            let last_modified = modified
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or_default();
            let md5: String = md5::Md5::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            out.push(ObjectInfo { key, size: bytes.len() as u64, etag: format!("\"{md5}\""), last_modified });
        }
        Ok(out)
    }

    /// Writes an object, creating its folders.
    pub fn put_object(&self, bucket: &str, key: &str, bytes: &[u8]) -> Result<(), S3Error> {
        let path = self.file(bucket, key)?;
        let io = |e: std::io::Error| S3Error::Io(bucket.to_owned(), key.to_owned(), e.to_string());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)
    }
}

/// Whether `segment` can be one step of a path inside the folder.
fn safe(segment: &str) -> bool {
    !segment.is_empty() && segment != "." && segment != ".." && !segment.contains('\\')
}

/// Collects the keys of the files under `dir`, `prefix` being the key of `dir`.
fn walk(dir: &Path, prefix: String, depth: usize, keys: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else { continue };
        let key = format!("{prefix}{name}");
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&entry.path(), format!("{key}/"), depth + 1, keys),
            Ok(t) if t.is_file() => keys.push(key),
            _ => {}
        }
    }
}
