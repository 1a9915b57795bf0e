import { formatNumber } from './i18n/format';
import { onLanguageChange, t } from './i18n/i18n';

/**
 * Form validation messages in the interface language. The browser writes "Please fill out this field." in its
 * own language, whatever the page's; `use:validity` on a control with constraints (required, min, max, step,
 * minlength, maxlength, type, pattern) keeps its message (setCustomValidity) in the page's language instead:
 * the browser still checks the constraints, shows the bubble on submit and marks the control invalid, with our
 * words. The message follows each edit, the value a component sets (pass it: `use:validity={value}`) and
 * every language switch.
 */

/** What validityMessage() reads from a control: a subset of HTMLInputElement, so tests can pass a plain object. */
export interface ConstrainedControl {
  readonly validity: Omit<ValidityState, 'customError' | 'valid'>;
  readonly type: string;
  readonly value: string;
  readonly min?: string;
  readonly max?: string;
  readonly step?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly title?: string;
}

const decimalsOf = (text: string) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

/** A constraint's number for a message ("0,8" in Spanish), or the attribute as written when it is no number. */
function shown(attribute: string | undefined): string {
  const value = Number(attribute);
  return attribute && Number.isFinite(value) ? formatNumber(value, { maximumFractionDigits: 20 }) : (attribute ?? '');
}

/** The two allowed values around `value`: steps counted from `min` (or 0), as the browser counts them. */
function nearestSteps(control: ConstrainedControl): { below: string; above: string } {
  const step = Number(control.step);
  const base = Number(control.min) || 0;
  const decimals = Math.max(decimalsOf(control.step ?? ''), decimalsOf(control.min ?? ''));
  const below = base + Math.floor((Number(control.value) - base) / step) * step;
  const write = (n: number) => formatNumber(Number(n.toFixed(decimals)), { maximumFractionDigits: decimals });
  return { below: write(below), above: write(below + step) };
}

/** The message for the first constraint the control breaks, in the interface language; '' when it breaks none. */
export function validityMessage(control: ConstrainedControl): string {
  const v = control.validity;
  const type = control.type;
  if (v.valueMissing) {
    if (type.startsWith('select')) return t('validity.chooseItem');
    if (type === 'checkbox') return t('validity.tickBox');
    if (type === 'radio') return t('validity.chooseOption');
    if (type === 'file') return t('validity.chooseFile');
    return t('validity.fillIn');
  }
  if (v.badInput) return type === 'number' ? t('validity.number') : t('validity.invalid');
  if (v.typeMismatch) {
    if (type === 'email') return t('validity.email');
    if (type === 'url') return t('validity.url');
    return t('validity.invalid');
  }
  if (v.tooLong) return t('validity.tooLong', { count: control.maxLength ?? 0 });
  if (v.tooShort) return t('validity.tooShort', { count: control.minLength ?? 0 });
  if (v.rangeUnderflow) return t('validity.atLeast', { min: shown(control.min) });
  if (v.rangeOverflow) return t('validity.atMost', { max: shown(control.max) });
  if (v.stepMismatch) {
    if (Number(control.step) === 1 && !(Number(control.min) % 1)) return t('validity.wholeNumber');
    return t('validity.step', nearestSteps(control));
  }
  if (v.patternMismatch) return control.title ? t('validity.patternHint', { hint: control.title }) : t('validity.pattern');
  return '';
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * Svelte action: `<input required maxlength="80" use:validity={value} />`. The parameter is only watched: pass
 * the value a component sets (bound or not), so a value changed without an input event is checked again.
 */
export function validity(control: Control, _value?: unknown) {
  const check = () => {
    // The browser's own verdict first: a custom message alone would make any value invalid.
    control.setCustomValidity('');
    control.setCustomValidity(validityMessage(control));
  };
  check();
  const events = ['input', 'change', 'invalid'] as const;
  for (const event of events) control.addEventListener(event, check);
  const stop = onLanguageChange(check);
  return {
    // After Svelte has written the new value into the control.
    update: () => queueMicrotask(check),
    destroy: () => {
      for (const event of events) control.removeEventListener(event, check);
      stop();
    },
  };
}
