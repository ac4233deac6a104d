/**
 * The usage objects of the providers whose traffic reaches Azure AI Foundry and AI gateways, and how each
 * one's counts become tokenledger's: `input_tokens` the whole prompt (cached reads and cache writes
 * inside it), `output_tokens` the whole completion (reasoning inside it). Providers disagree on what their
 * counts include, so each shape says it, and nothing is counted twice or left out:
 *
 * - openai-chat (usage.prompt_tokens, completion_tokens): prompt_tokens includes cached reads and writes
 *   (prompt_tokens_details.cached_tokens / cache_write_tokens); completion_tokens includes
 *   completion_tokens_details.reasoning_tokens.
 * - openai-responses (usage.input_tokens, output_tokens): the same with input_tokens_details / output_tokens_details.
 * - anthropic (usage.input_tokens with cache_read_input_tokens / cache_creation_input_tokens beside it):
 *   input_tokens EXCLUDES the cache, so the prompt is input + cache_read + cache_creation; thinking is inside
 *   output_tokens and not reported apart.
 * - gemini (usageMetadata.*TokenCount): promptTokenCount includes cachedContentTokenCount; thoughtsTokenCount is
 *   NOT inside candidatesTokenCount (totalTokenCount = prompt + candidates + thoughts + tool use), so the output
 *   is candidates + thoughts, reasoning the thoughts; toolUsePromptTokenCount is not inside the prompt and is
 *   billed as input, so it is added to it.
 * - bedrock (Converse usage.inputTokens, outputTokens): inputTokens EXCLUDES cacheReadInputTokens and
 *   cacheWriteInputTokens (totalTokens = input + output + both), so the prompt is their sum.
 * - bedrock-log (model invocation log: input.inputTokenCount, output.outputTokenCount): as bedrock, with
 *   input.cacheReadInputTokenCount / cacheWriteInputTokenCount.
 *
 * An OpenAI-shaped usage that also carries cache_read_input_tokens / cache_creation_input_tokens (what
 * LiteLLM passes through from Anthropic) keeps prompt_tokens as the whole prompt: the cache counts are
 * splits of it. Anthropic's and Bedrock's exclusive shape is recognised by input_tokens (inputTokens)
 * without prompt_tokens. A count a shape does not report is 0; one it reports must be a whole number.
 */
import { code, join, sql, type Sql } from '../../store/sql.js';
import { wholeNumberSql } from './model.js';

/** The normalized counts of one record, as SQL (BIGINT, NULL when a reported count is not a whole number). */
export interface ShapeTokens { shape: Sql; input: Sql; cached: Sql; write: Sql; output: Sql; reasoning: Sql; hasUsage: Sql }

const w = (text: string) => wholeNumberSql(text);
const plus = (...xs: Sql[]) => join(xs.map((x) => sql`(${x})`), ' + ');

/**
 * The careful reader's token columns for a record `j` (JSON), every shape above: the shape is decided per
 * record (the first whose counts are present), then its rule applies.
 */
export function shapeTokens(): ShapeTokens {
  const usage = `coalesce(j->'usage', j->'response'->'usage')`;
  const u = (p: string) => `${usage}${p}`;
  const meta = `coalesce(j->'usageMetadata', j->'response'->'usageMetadata')`;
  const g = (k: string) => `${meta}->>'${k}'`;
  const zero = (x: string) => `coalesce(${x}, '0')`;
  // parenthesised: DuckDB binds IS NOT NULL tighter than ->>
  const has = (...xs: string[]) => xs.map((x) => `(${x}) IS NOT NULL`).join(' OR ');
  const chat = has(u(`->>'prompt_tokens'`), u(`->>'completion_tokens'`));
  const responses = has(u(`->>'input_tokens'`), u(`->>'output_tokens'`));
  const anthropicCache = has(u(`->>'cache_read_input_tokens'`), u(`->>'cache_creation_input_tokens'`));
  const gemini = has(g('promptTokenCount'), g('candidatesTokenCount'));
  const bedrock = has(u(`->>'inputTokens'`), u(`->>'outputTokens'`));
  const bedrockLog = has(`j->'input'->>'inputTokenCount'`, `j->'output'->>'outputTokenCount'`);
  const shape = code(`CASE WHEN ${chat} THEN 'openai-chat' WHEN (${responses}) AND (${anthropicCache}) THEN 'anthropic'
      WHEN ${responses} THEN 'openai-responses' WHEN ${gemini} THEN 'gemini' WHEN ${bedrock} THEN 'bedrock'
      WHEN ${bedrockLog} THEN 'bedrock-log' END`);
  // OpenAI's two shapes share their details objects (either spelling is read in both, as before)
  const cached = `coalesce(${u(`->'prompt_tokens_details'->>'cached_tokens'`)}, ${u(`->'input_tokens_details'->>'cached_tokens'`)}, ${
    u(`->>'cache_read_input_tokens'`)}, '0')`;
  const write = `coalesce(${u(`->'prompt_tokens_details'->>'cache_write_tokens'`)}, ${
    u(`->'input_tokens_details'->>'cache_write_tokens'`)}, ${
    u(`->>'cache_creation_input_tokens'`)}, '0')`;
  const reasoning = `coalesce(${u(`->'completion_tokens_details'->>'reasoning_tokens'`)}, ${
    u(`->'output_tokens_details'->>'reasoning_tokens'`)}, '0')`;
  const pick = (o: Record<'chat' | 'anthropic' | 'gemini' | 'bedrock' | 'log', Sql>) => sql`CASE shape
      WHEN 'openai-chat' THEN ${o.chat} WHEN 'openai-responses' THEN ${o.chat} WHEN 'anthropic' THEN ${o.anthropic}
      WHEN 'gemini' THEN ${o.gemini} WHEN 'bedrock' THEN ${o.bedrock} WHEN 'bedrock-log' THEN ${o.log} END`;
  const cr = w(zero(u(`->>'cache_read_input_tokens'`)));
  const cw = w(zero(u(`->>'cache_creation_input_tokens'`)));
  const br = w(zero(u(`->>'cacheReadInputTokens'`)));
  const bw = w(zero(u(`->>'cacheWriteInputTokens'`)));
  const lr = w(zero(`j->'input'->>'cacheReadInputTokenCount'`));
  const lw = w(zero(`j->'input'->>'cacheWriteInputTokenCount'`));
  return {
    shape,
    input: pick({
      chat: w(`coalesce(${u(`->>'prompt_tokens'`)}, ${u(`->>'input_tokens'`)})`),
      anthropic: plus(w(zero(u(`->>'input_tokens'`))), cr, cw),
      gemini: plus(w(zero(g('promptTokenCount'))), w(zero(g('toolUsePromptTokenCount')))),
      bedrock: plus(w(zero(u(`->>'inputTokens'`))), br, bw),
      log: plus(w(zero(`j->'input'->>'inputTokenCount'`)), lr, lw),
    }),
    cached: pick({ chat: w(cached), anthropic: cr, gemini: w(zero(g('cachedContentTokenCount'))), bedrock: br, log: lr }),
    write: pick({ chat: w(write), anthropic: cw, gemini: code('0'), bedrock: bw, log: lw }),
    output: pick({
      chat: w(`coalesce(${u(`->>'completion_tokens'`)}, ${u(`->>'output_tokens'`)})`),
      anthropic: w(zero(u(`->>'output_tokens'`))),
      gemini: plus(w(zero(g('candidatesTokenCount'))), w(zero(g('thoughtsTokenCount')))),
      bedrock: w(zero(u(`->>'outputTokens'`))),
      log: w(zero(`j->'output'->>'outputTokenCount'`)),
    }),
    reasoning: pick({ chat: w(reasoning), anthropic: code('0'), gemini: w(zero(g('thoughtsTokenCount'))), bedrock: code('0'),
      log: code('0') }),
    hasUsage: code('shape IS NOT NULL'),
  };
}

/** Streaming events of Anthropic's Messages API: parts of a response, whose usage is not the response's. */
export const STREAM_EVENTS = ['message_start', 'message_delta', 'message_stop', 'content_block_start', 'content_block_delta',
  'content_block_stop', 'ping'];
