/**
 * @module sdk/adapters
 * `client.adapters`: register LoRA adapters for a llama.cpp base model (an upload, or a file under
 * the server's models directory), list them, read every version's hashes and lineage, remove them.
 * A version answers as the model `llamacpp:<base>+<name>` wherever a model id is accepted.
 *
 * @example
 * const tone = await client.adapters.upload(
 *   { name: 'tone.gguf', data: bytes },
 *   { name: 'tone', base_model: 'llamacpp:granite-3.3-2b-instruct', hyper_parameters: { epochs: 3 } },
 * );
 * await openai.chat.completions.create({ model: tone.model, messages });
 */
import type { AdapterRegistration, AdapterVersionJson } from '../api/adapters.js';
import type { SdkTransport } from './transport.js';

export type { AdapterRegistration, AdapterVersionJson } from '../api/adapters.js';

const enc = encodeURIComponent;

export class AdaptersApi {
  constructor(private readonly client: SdkTransport) {}

  /** Uploads a GGUF LoRA file; the server checks it against the base model before storing it. */
  upload(
    file: { name: string; data: Uint8Array },
    fields: Omit<AdapterRegistration, 'path'>,
  ): Promise<AdapterVersionJson> {
    const form = new FormData();
    form.set('file', new File([file.data as BlobPart], file.name));
    form.set('name', fields.name);
    form.set('base_model', fields.base_model);
    if (fields.scale !== undefined) form.set('scale', String(fields.scale));
    const { name: _name, base_model: _base, scale: _scale, ...metadata } = fields;
    form.set('metadata', JSON.stringify(metadata));
    return this.client.request('POST', '/api/v1/adapters', { body: form });
  }

  /** Registers a file already under the server's models directory (`path` relative to it). */
  register(input: AdapterRegistration): Promise<AdapterVersionJson> {
    return this.client.request('POST', '/api/v1/adapters', { body: input });
  }

  /** The latest version of each adapter. */
  async list(): Promise<AdapterVersionJson[]> {
    return (await this.client.request<{ adapters: AdapterVersionJson[] }>('GET', '/api/v1/adapters'))
      .adapters;
  }

  /** Every version of one adapter, oldest first. */
  async versions(name: string): Promise<AdapterVersionJson[]> {
    return (
      await this.client.request<{ versions: AdapterVersionJson[] }>('GET', `/api/v1/adapters/${enc(name)}`)
    ).versions;
  }

  /** Removes every version, or one; answers the removed versions. */
  async remove(name: string, version?: number): Promise<AdapterVersionJson[]> {
    const query = version === undefined ? '' : `?version=${version}`;
    return (
      await this.client.request<{ removed: AdapterVersionJson[] }>(
        'DELETE',
        `/api/v1/adapters/${enc(name)}${query}`,
      )
    ).removed;
  }
}
