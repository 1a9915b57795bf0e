import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'svelte/compiler';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from './i18n/i18n';
import { validity, validityMessage, type ConstrainedControl } from './validity';

afterEach(() => setLanguage('en'));

const VALID: ConstrainedControl['validity'] = {
  badInput: false,
  patternMismatch: false,
  rangeOverflow: false,
  rangeUnderflow: false,
  stepMismatch: false,
  tooLong: false,
  tooShort: false,
  typeMismatch: false,
  valueMissing: false,
};
const control = (broken: Partial<ConstrainedControl['validity']>, rest: Partial<ConstrainedControl> = {}) => ({
  type: 'text',
  value: '',
  ...rest,
  validity: { ...VALID, ...broken },
});

describe('validityMessage', () => {
  it('says what to do, in the interface language', () => {
    expect(validityMessage(control({ valueMissing: true }))).toBe('Fill in this field.');
    setLanguage('es');
    expect(validityMessage(control({ valueMissing: true }))).toBe('Completa este campo.');
    setLanguage('ar');
    expect(validityMessage(control({ valueMissing: true }))).toBe('املأ هذا الحقل.');
  });

  it('is empty for a value that breaks nothing', () => {
    expect(validityMessage(control({}))).toBe('');
  });

  it('writes limits as numbers of the language', () => {
    const threshold = { type: 'number', min: '0.8', max: '0.999', step: '0.005' };
    expect(validityMessage(control({ rangeUnderflow: true }, { ...threshold, value: '0.5' }))).toBe('Enter 0.8 or more.');
    expect(validityMessage(control({ stepMismatch: true }, { ...threshold, value: '0.8123' }))).toBe(
      'Enter a valid value: the nearest are 0.81 and 0.815.',
    );
    setLanguage('es');
    expect(validityMessage(control({ rangeOverflow: true }, { ...threshold, value: '2' }))).toBe('Escribe 0,999 o menos.');
    expect(validityMessage(control({ tooLong: true }, { maxLength: 80 }))).toBe('Usa como máximo 80 caracteres.');
  });

  it('asks for a whole number where the step is one', () => {
    const epochs = { type: 'number', min: '1', max: '1000', step: '1', value: '2.5' };
    expect(validityMessage(control({ stepMismatch: true }, epochs))).toBe('Enter a whole number.');
  });

  it('names what a list, a box or a number field needs', () => {
    expect(validityMessage(control({ valueMissing: true }, { type: 'select-one' }))).toBe('Choose an item in the list.');
    expect(validityMessage(control({ valueMissing: true }, { type: 'checkbox' }))).toBe('Tick this box to go on.');
    expect(validityMessage(control({ badInput: true }, { type: 'number' }))).toBe('Enter a number.');
  });
});

/** A control as the action sees it: events, the browser's verdict, and the custom message set on it. */
class FakeInput extends EventTarget {
  type = 'text';
  value = '';
  required = true;
  custom = '';
  get validity() {
    return { ...VALID, valueMissing: this.required && this.value === '' };
  }
  setCustomValidity(message: string) {
    this.custom = message;
  }
}

describe('use:validity', () => {
  it('keeps the message in step with the value, the language, and what a component sets', async () => {
    const input = new FakeInput();
    const action = validity(input as unknown as HTMLInputElement, input.value);
    expect(input.custom).toBe('Fill in this field.');
    input.value = 'rock';
    input.dispatchEvent(new Event('input'));
    expect(input.custom).toBe('');
    input.value = '';
    action.update();
    await Promise.resolve();
    expect(input.custom).toBe('Fill in this field.');
    setLanguage('es');
    expect(input.custom).toBe('Completa este campo.');
    action.destroy();
    setLanguage('ar');
    expect(input.custom).toBe('Completa este campo.');
  });
});

describe('every form control with a constraint', () => {
  const UI = import.meta.dirname;
  const CONSTRAINTS = new Set(['required', 'min', 'max', 'step', 'minlength', 'maxlength', 'pattern']);
  const CHECKED_TYPES = new Set(['number', 'email', 'url', 'range', 'date', 'time']);
  type Node = { type?: string; name?: string; attributes?: Node[]; value?: unknown; start?: number } & Record<string, unknown>;

  const unchecked = (source: string): number[] => {
    const lines: number[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const n = node as Node;
      if (n.type === 'RegularElement' && ['input', 'select', 'textarea'].includes(n.name ?? '')) {
        const attributes = n.attributes ?? [];
        const typeValue = attributes.find((a) => a.type === 'Attribute' && a.name === 'type')?.value;
        const type = Array.isArray(typeValue) ? String((typeValue[0] as { data?: string })?.data ?? '') : '';
        const constrained =
          CHECKED_TYPES.has(type) || attributes.some((a) => a.type === 'Attribute' && CONSTRAINTS.has(a.name ?? ''));
        const checked = attributes.some((a) => a.type === 'UseDirective' && a.name === 'validity');
        if (constrained && !checked) lines.push(source.slice(0, n.start).split('\n').length);
      }
      for (const [key, value] of Object.entries(n)) if (key !== 'metadata') walk(value);
    };
    walk(parse(source, { modern: true }).fragment);
    return lines;
  };

  const files = readdirSync(UI, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.svelte'));

  it.each(files)('in %s speaks the interface language (use:validity)', (file) => {
    expect(unchecked(readFileSync(join(UI, file), 'utf8'))).toEqual([]);
  });

  it('is found by the check itself', () => {
    expect(unchecked('<input required /><input type="number" /><input required use:validity />')).toEqual([1, 1]);
  });
});
