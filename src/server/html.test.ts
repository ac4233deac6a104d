/**
 * The one escaping template: any value interpolated into a page is text. Property: for every string,
 * the escaped form has no markup character left and decodes back to the string; markup built by the
 * program (Html) passes through once, never escaped twice; arrays join; nothing else is raw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { esc, html, queryString, raw } from './html.js';

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
  .replace(/&amp;/g, '&');

describe('html', () => {
  it('escapes every string to text that decodes back to it', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      const e = esc(s);
      expect(e).not.toMatch(/[<>"']/);
      expect(decode(e)).toBe(s);
      expect(html`<td title="${s}">${s}</td>`.text).toBe(`<td title="${e}">${e}</td>`);
    }));
  });

  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["o'brien & co", 'o&#39;brien &amp; co'],
  ])('%s', (input, expected) => {
    expect(html`<b>${input}</b>`.text).toBe(`<b>${expected}</b>`);
  });

  it('program markup passes once, arrays join, null and false are nothing, numbers are text', () => {
    const inner = html`<i>${'<x>'}</i>`;
    expect(html`<p>${inner}${[html`<br>`, '<y>']}${null}${undefined}${false}${0}</p>`.text).toBe('<p><i>&lt;x&gt;</i><br>&lt;y&gt;0</p>');
    expect(html`${raw('<svg></svg>')}`.text).toBe('<svg></svg>');
  });

  it('query strings percent-encode values and leave out empty ones', () => {
    expect(queryString({ feature: 'a&b=<c>', month: '2026-10', cost: undefined, by: ['team', 'feature'], x: '' }))
      .toBe('?feature=a%26b%3D%3Cc%3E&month=2026-10&by=team&by=feature');
    expect(queryString({})).toBe('');
  });
});
