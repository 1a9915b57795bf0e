import { test as base, expect } from '@playwright/test';

/**
 * Every end-to-end test runs under these checks: no uncaught page error, no Content-Security-Policy
 * violation, from the page or any of its workers (the policy itself is in src/shared/security-headers.ts), and
 * no message missing from the interface language ("Kiln i18n: missing key …", src/ui/i18n/i18n.ts), and no error
 * logged to the console by the page or a worker: a broken file or a fault must end in a message on the page, never
 * in the console. A test that causes console errors on purpose turns `forbidConsoleErrors` off and says why.
 */
export const test = base.extend<{ guard: void; expectCspViolation: RegExp | null; forbidConsoleErrors: boolean }>({
  /** A test that provokes a violation on purpose names it here; any other still fails the test. */
  expectCspViolation: [null, { option: true }],
  forbidConsoleErrors: [true, { option: true }],
  guard: [
    async ({ page, expectCspViolation, forbidConsoleErrors }, use) => {
      const problems: string[] = [];
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
        });
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      const watchConsole = (message: { type(): string; text(): string; location(): { url: string } }) => {
        const text = message.text();
        if (expectCspViolation?.test(text)) return;
        if (/Content Security Policy|CSP violation|Refused to (load|execute|create|apply|connect)/i.test(text)) {
          problems.push(`CSP: ${text}`);
        }
        // A message missing from the interface language (src/ui/i18n/i18n.ts reports it).
        if (text.startsWith('Kiln i18n:')) problems.push(text);
        else if (forbidConsoleErrors && message.type() === 'error')
          problems.push(`console error: ${text} (${message.location().url})`);
      };
      page.on('console', watchConsole);
      page.on('worker', (worker) => worker.on('console', watchConsole));
      await use();
      expect(problems, problems.join('\n')).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
