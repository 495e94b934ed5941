/**
 * The `option(key, value)` / `options({…})` pair every reader and writer has, as in
 * PySpark: values are sent as text, later settings win, both return the builder.
 */
export type OptionValue = string | number | boolean;

export abstract class OptionsBuilder {
  protected readonly opts: Record<string, string> = {};

  option(key: string, value: OptionValue): this {
    this.opts[key] = String(value);
    return this;
  }

  options(options: Record<string, OptionValue>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }
}
