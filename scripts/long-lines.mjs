// Lists the lines the 140-character rule of eslint.config.js rejects, as file:line:length, so they can be
// wrapped; `--summary` prints the count per file instead. Runs ESLint with that one rule, its options read
// from eslint.config.js, and no type information (a few seconds).
// Usage: node scripts/long-lines.mjs [--summary] [files or folders...]   (default: what `npm run lint` checks)
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';
import config from '../eslint.config.js';

const RULE = '@stylistic/max-len';
const args = process.argv.slice(2);
const summary = args.includes('--summary');
const targets = args.filter((a) => a !== '--summary');

const setting = config.findLast((c) => c.rules?.[RULE] !== undefined)?.rules[RULE];
if (!setting) throw new Error(`eslint.config.js sets no ${RULE}`);
const ignores = config.filter((c) => c.ignores && Object.keys(c).length === 1).flatMap((c) => c.ignores);

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [
    { ignores },
    {
      files: ['**/*.ts', '**/*.js', '**/*.mjs'],
      languageOptions: { parser: tseslint.parser },
      plugins: { '@stylistic': stylistic },
      rules: { [RULE]: setting },
    },
  ],
});
const results = await eslint.lintFiles(targets.length > 0 ? targets : ['.']);
const cwd = process.cwd() + '/';
const lines = [];
for (const r of results) {
  const source = r.messages.length > 0 ? readFileSync(r.filePath, 'utf8').split('\n') : [];
  for (const m of r.messages) {
    if (m.ruleId !== RULE) {
      if (m.fatal) console.error(`${r.filePath.replace(cwd, '')}:${m.line}: ${m.message}`);
      continue;
    }
    const text = source[m.line - 1] ?? '';
    lines.push({ file: r.filePath.replace(cwd, ''), line: m.line, length: [...text].length });
  }
}
lines.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
if (summary) {
  const perFile = new Map();
  for (const l of lines) perFile.set(l.file, (perFile.get(l.file) ?? 0) + 1);
  const byCount = [...perFile].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [file, n] of byCount) console.log(`${String(n).padStart(4)}  ${file}`);
} else {
  for (const l of lines) console.log(`${l.file}:${l.line}:${l.length}`);
}
console.error(`${lines.length} line(s) over ${setting[1]?.code ?? '?'} characters in ${new Set(lines.map((l) => l.file)).size} file(s)`);
