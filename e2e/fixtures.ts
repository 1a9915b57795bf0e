import { test as base, expect } from '@playwright/test';

/**
 * Every end-to-end test runs under these checks: no uncaught page error, no Content-Security-Policy
 * violation, from the page or any of its workers (the policy itself is in src/shared/security-headers.ts), and
 * no message missing from the interface language ("Kiln i18n: missing key …", src/ui/i18n/i18n.ts).
 */
export const test = base.extend<{ guard: void; expectCspViolation: RegExp | null }>({
  /** A test that provokes a violation on purpose names it here; any other still fails the test. */
  expectCspViolation: [null, { option: true }],
  guard: [
    async ({ page, expectCspViolation }, use) => {
      const problems: string[] = [];
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
        });
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      const watchConsole = (message: { type(): string; text(): string }) => {
        const text = message.text();
        if (expectCspViolation?.test(text)) return;
        if (/Content Security Policy|CSP violation|Refused to (load|execute|create|apply|connect)/i.test(text)) {
          problems.push(`CSP: ${text}`);
        }
        // A message missing from the interface language (src/ui/i18n/i18n.ts reports it).
        if (text.startsWith('Kiln i18n:')) problems.push(text);
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
