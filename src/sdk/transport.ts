/**
 * @module sdk/transport
 * What the SDK's API groups (prompts, RAG …) need from the client: send a request, get JSON or the
 * raw response. `KeelClient` implements it; groups depend on this, not on the client.
 */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
}

export interface SdkTransport {
  raw(method: string, path: string, options?: RequestOptions): Promise<Response>;
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}
