// Renders one Carbone template to DOCX and to PDF, warm, and prints the times as JSON.
// Usage: node render.js TEMPLATE.docx DATA.json RUNS OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const carbone = require('carbone');

const [template, dataFile, runsText, outDir] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
const runs = Number(runsText);

function render(options) {
  return new Promise((resolve, reject) => {
    carbone.render(template, data, options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function pair() {
  const start = process.hrtime.bigint();
  const docx = await render({});
  const pdf = await render({ convertTo: 'pdf' });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, docx, pdf };
}

async function main() {
  carbone.set({ factories: 1, startFactory: true });
  const first = await pair();  // warms LibreOffice; the cold figure is the process's wall time
  fs.writeFileSync(path.join(outDir, 'carbone.docx'), first.docx);
  fs.writeFileSync(path.join(outDir, 'carbone.pdf'), first.pdf);
  const times = [];
  for (let n = 0; n < runs; n += 1) times.push((await pair()).seconds);
  process.stdout.write(JSON.stringify({ first: first.seconds, warm: times }) + '\n');
  process.exit(0);
}

main().catch((err) => { process.stderr.write(String(err) + '\n'); process.exit(1); });
