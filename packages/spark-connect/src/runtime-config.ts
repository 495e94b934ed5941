/** `spark.conf`: the session's SQL configuration (the `Config` RPC). */
import type { SparkConnectClient } from './spark-connect-client.js';

export class RuntimeConfig {
  private readonly client: SparkConnectClient;

  constructor(client: SparkConnectClient) {
    this.client = client;
  }

  async set(key: string, value: string | number | boolean): Promise<void> {
    await this.client.config({ operation: { opType: { case: 'set', value: { pairs: [{ key, value: String(value) }] } } } });
  }

  /**
   * The value of `key`. With `defaultValue`, returns it when the key is unset; without it,
   * an unset key without a default is an error from Spark (`[SQL_CONF_NOT_FOUND]`).
   */
  async get(key: string, defaultValue?: string): Promise<string | undefined> {
    const r =
      defaultValue === undefined
        ? await this.client.config({ operation: { opType: { case: 'get', value: { keys: [key] } } } })
        : await this.client.config({ operation: { opType: { case: 'getWithDefault', value: { pairs: [{ key, value: defaultValue }] } } } });
    return r.pairs[0]?.value;
  }

  /** The value, or undefined when the key is unset (no error). */
  async getOption(key: string): Promise<string | undefined> {
    const r = await this.client.config({ operation: { opType: { case: 'getOption', value: { keys: [key] } } } });
    return r.pairs[0]?.value;
  }

  async getAll(prefix?: string): Promise<Record<string, string>> {
    const r = await this.client.config({ operation: { opType: { case: 'getAll', value: prefix === undefined ? {} : { prefix } } } });
    return Object.fromEntries(r.pairs.map((p) => [p.key, p.value ?? '']));
  }

  async unset(key: string): Promise<void> {
    await this.client.config({ operation: { opType: { case: 'unset', value: { keys: [key] } } } });
  }

  async isModifiable(key: string): Promise<boolean> {
    const r = await this.client.config({ operation: { opType: { case: 'isModifiable', value: { keys: [key] } } } });
    return r.pairs[0]?.value === 'true';
  }
}
