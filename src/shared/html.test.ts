import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html';
import { escapeHtml as demoPageEscape } from '../export/demo-page';
import { escapeHtml as reportEscape } from '../ui/evaluation-report';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes, and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;',
    );
    expect(escapeHtml('café 🧑‍🍳 ants')).toBe('café 🧑‍🍳 ants');
    expect(escapeHtml('')).toBe('');
  });

  it('escapes an ampersand once, so an escaped text is escaped again rather than kept', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('is the one the demo page and the evaluation report use', () => {
    expect(demoPageEscape).toBe(escapeHtml);
    expect(reportEscape).toBe(escapeHtml);
  });
});
