// Runs AWS's ASL language service (npm `amazon-states-language-service`, the engine of
// the AWS Toolkit) on this crate's protocol-test fixtures, for comparing its answers with
// `aslc lsp`'s (tests/snapshots/). Install the peer with `../shared/bench/setup-peers
// --node-only` (or `npm install amazon-states-language-service
// vscode-languageserver-textdocument` in a folder named by ASLC_PEERS) and run
// `node lsp/aslc_lsp/peer/aws-language-service.js`.
const path = require('path');
const fs = require('fs');

const peers = process.env.ASLC_PEERS || path.join(process.env.HOME || '', '.cache/aslc-bench/node');
const load = (name) => require(path.join(peers, 'node_modules', name));
const asl = load('amazon-states-language-service');
const { TextDocument } = load('vscode-languageserver-textdocument');

const fixtures = path.join(__dirname, '..', 'tests', 'fixtures');
const read = (name) => fs.readFileSync(path.join(fixtures, name), 'utf8');

function position(text, needle, delta) {
  const offset = text.indexOf(needle) + delta;
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

async function main() {
  const service = asl.getLanguageService({});
  const text = read('order.asl.json');
  const open = (t) => {
    const doc = TextDocument.create('file:///order.asl.json', 'asl', 1, t);
    return [doc, service.parseJSONDocument(doc)];
  };
  const [doc, json] = open(text);
  console.log('methods:', Object.keys(service).join(' '));
  const show = (label, value) => console.log(`${label}:`, JSON.stringify(value));
  show('diagnostics', (await service.doValidation(doc, json)).map((d) => d.message));
  const hover = async (needle, delta) => {
    const h = await service.doHover(doc, position(text, needle, delta), json);
    return h ? h.contents : null;
  };
  show('hover Next reference', await hover('"Next": "Route"', 10));
  show('hover Resource key', await hover('"Resource"', 2));
  show('hover error name', await hover('States.TaskFailed', 3));
  show('hover intrinsic', await hover('States.Format', 8));
  const complete = async (t, needle, delta) => {
    const [d, j] = open(t);
    const list = await service.doComplete(d, position(t, needle, delta), j);
    return list ? list.items.map((i) => i.label) : null;
  };
  show('complete Next', await complete(text, '"Next": "Route"', 9));
  show('complete branch Next', await complete(text, '"Next": "Finish"', 9));
  show('complete ErrorEquals', await complete(text, '"States.TaskFailed"', 1));
  show('complete Resource (count)', ((await complete(text, 'arn:aws:states:::lambda', 0)) || []).length);
  show('complete task key', await complete(text.replace('"Next": "Route"', '"Next": "Route", ""'), '"Route", ""', 10));
  show('complete $$.', await complete(text.replace('"validate"', '"$$."'), '$$.', 3));
  show('complete States.', await complete(text.replace("States.Format('order {}', $.id)", 'States.'), 'States.', 7));
  show('symbols', service.findDocumentSymbols2(doc, json).map((s) => s.name));
  show('folding ranges', service.getFoldingRanges(doc).length);
  show('format edits', service.format(doc, undefined, { tabSize: 2, insertSpaces: true }).length);
  const [bad, badJson] = open(text.replace('"Next": "Fanout"', '"Next": "Nowhere"'));
  show('bad Next', (await service.doValidation(bad, badJson)).map((d) => d.message));
  const [dup, dupJson] = open(text.replace('"StartAt": "Inner", "States": { "Inner"', '"StartAt": "Done", "States": { "Done"'));
  show('duplicate name across scopes', (await service.doValidation(dup, dupJson)).map((d) => d.message));
  const yaml = asl.getYamlLanguageService({});
  const ydoc = TextDocument.create('file:///order.asl.yaml', 'asl-yaml', 1, read('order.asl.yaml'));
  show('yaml diagnostics', (await yaml.doValidation(ydoc)).map((d) => d.message));
  const tdoc = TextDocument.create('file:///template.yaml', 'asl-yaml', 1, read('template.yaml'));
  show('template diagnostics', (await yaml.doValidation(tdoc)).map((d) => d.message));
  const states = [];
  for (let i = 0; i < 6000; i++) {
    states.push(`"S${i}": {"Type": "Pass", "Comment": "step ${i}", "Result": {"n": ${i}}, "ResultPath": "$.p${i % 16}", "Next": "S${i + 1}"}`);
  }
  states.push('"S6000": {"Type": "Succeed"}');
  const big = `{"StartAt": "S0", "States": {\n${states.join(',\n')}\n}}`;
  const [bigDoc, bigJson] = open(big);
  const started = Date.now();
  await service.doValidation(bigDoc, bigJson);
  show(`validate ${big.length} bytes (ms)`, Date.now() - started);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
