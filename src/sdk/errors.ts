/**
 * @module sdk/errors
 * What the SDK throws: the server's error, with its code, HTTP status and issues.
 */
export interface ApiIssue {
  code: string;
  path: (string | number)[];
  message: string;
}

export class KeelApiError extends Error {
  override readonly name = 'KeelApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Reads any of Keel's three error shapes (Keel, OpenAI, watsonx). */
export async function errorFromResponse(response: Response): Promise<KeelApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page, a dropped connection): keep the status.
  }
  const keel = body.error as
    | { code?: string; message?: string; issues?: ApiIssue[]; data?: Record<string, unknown> }
    | undefined;
  if (keel?.message)
    return new KeelApiError(
      response.status,
      keel.code ?? 'error',
      keel.message,
      keel.issues ?? [],
      keel.data ?? {},
    );
  const watsonx = body.errors as { code: string; message: string }[] | undefined;
  if (watsonx?.[0])
    return new KeelApiError(
      response.status,
      watsonx[0].code,
      watsonx[0].message,
      (body.issues as ApiIssue[]) ?? [],
    );
  return new KeelApiError(
    response.status,
    response.status === 401 ? 'unauthorized' : 'http_error',
    `HTTP ${response.status} ${response.statusText}`,
  );
}
