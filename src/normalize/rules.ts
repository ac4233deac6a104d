/**
 * Loads the AI meter rules: the defaults shipped in rules/ai-meters.yaml, plus an optional user file
 * (tokenledger.yaml `rules:`) whose entries are tried first. Validation errors name the file and the path.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { yaml } from '../store/packages.js';
import { TokenledgerError } from '../domain/errors.js';
import { compileRules, RulesFileSchema, type CompiledRules, type RulesFile } from './rules-schema.js';

/** Path of the shipped default rules (works from src/ under vitest and from dist/ after build). */
export const DEFAULT_RULES_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules', 'ai-meters.yaml');

export function readRulesFile(path: string): RulesFile {
  let doc: unknown;
  try {
    doc = yaml().parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TokenledgerError(`${path}: cannot read rules: ${(e as Error).message}`);
  }
  const parsed = RulesFileSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new TokenledgerError(`${path}: invalid rules file:\n${issues}`, {
      hint: 'See rules/ai-meters.yaml in tokenledger for the format.',
    });
  }
  return parsed.data;
}

export function loadRules(userRulesPath?: string): CompiledRules {
  const files = [readRulesFile(DEFAULT_RULES_PATH)];
  if (userRulesPath) files.unshift(readRulesFile(userRulesPath));
  return compileRules(files);
}
