import { HtmlValidate } from 'html-validate';

// Prettier formats the views' HTML templates, and writes void elements self-closed (`<meta />`).
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: { 'no-trailing-whitespace': 'off', 'void-style': ['error', { style: 'selfclosing' }] },
});

/** Every html-validate problem in a document, as readable lines (empty when valid). */
export async function htmlProblems(markup: string): Promise<string[]> {
  const report = await validator.validateString(markup);
  return report.results.flatMap((result) =>
    result.messages.map((message) => `${message.ruleId} (line ${message.line}): ${message.message}`),
  );
}
