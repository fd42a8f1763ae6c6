import { HtmlValidate } from 'html-validate';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-trailing-whitespace': 'off' } });

/** Every html-validate problem in a document, as readable lines (empty when valid). */
export async function htmlProblems(markup: string): Promise<string[]> {
  const report = await validator.validateString(markup);
  return report.results.flatMap((result) =>
    result.messages.map((message) => `${message.ruleId} (line ${message.line}): ${message.message}`),
  );
}
