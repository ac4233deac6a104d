/** `tokenledger init`: write a commented tokenledger.yaml (never overwrites without --force). */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_TEMPLATE, DEFAULT_CONFIG_FILE } from '../../config/config.js';
import type { Effects } from '../../app/effects.js';
import { UsageError } from '../../domain/errors.js';

export function runInit(o: { force?: boolean; dir?: string }, fx: Effects): string {
  const path = resolve(fx.cwd, o.dir ?? '.', DEFAULT_CONFIG_FILE);
  if (existsSync(path) && !o.force) throw new UsageError(`${path} exists already`, 'Use --force to overwrite it.');
  writeFileSync(path, CONFIG_TEMPLATE);
  fx.stdout(`wrote ${path}\n`);
  return path;
}
