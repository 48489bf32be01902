// Prompt templates: `{{variable}}` filled from a call's inputs. No imports, so the Studio's form can use it in the browser.

// {{name}} and {{ name }}; names as orq's text engine takes them (letters, digits, "_", "-", ".").
const VARIABLE = /\{\{\s*([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*\}\}/g;

/**
 * Fills `{{variable}}` from `inputs` in one pass (a value containing `{{x}}` is not filled again).
 * A string is inserted as is, anything else as JSON (`3`, `true`, `null`, `["a"]`). A variable missing
 * from `inputs` is left as written: orq documents that missing variables fall back to the prompt's
 * defaults, which Tollbooth deployments do not have, so the placeholder stays visible (get_config
 * shows it) rather than silently becoming an empty string.
 */
export function fillVariables(text: string, inputs: Record<string, unknown> = {}): string {
  return text.replace(VARIABLE, (placeholder, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(inputs, name)) return placeholder;
    const value = inputs[name];
    if (typeof value === 'string') return value;
    return value === undefined ? placeholder : JSON.stringify(value);
  });
}

/** The variable names a prompt uses, in order of first use. */
export function promptVariables(messages: readonly { content: string }[]): string[] {
  const names = new Set<string>();
  for (const m of messages) for (const match of m.content.matchAll(VARIABLE)) names.add(match[1]);
  return [...names];
}
