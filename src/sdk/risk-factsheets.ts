/**
 * @module sdk/risk-factsheets
 * `client.risk`: the project's risk questionnaire and risk assessments; `client.factsheets`: a use
 * case's factsheet as JSON, its Markdown or PDF export, and the diff of two approach versions.
 */
import type { z } from 'zod';
import type { Factsheet, FactsheetDiff, FactsheetFormat } from '../api/factsheets.js';
import type {
  AssessmentJson,
  AssessmentPreview,
  createAssessmentSchema,
  QuestionnaireInput,
  QuestionnaireJson,
} from '../api/governance-risk.js';
import type { SdkTransport } from './transport.js';

export type { AssessmentJson, AssessmentPreview, Factsheet, FactsheetDiff, QuestionnaireJson };

const seg = encodeURIComponent;

export class RiskApi {
  constructor(private readonly client: SdkTransport) {}

  /** The questionnaire in force (the project's own, or Keel's built-in one). */
  questionnaire(): Promise<QuestionnaireJson> {
    return this.client.request('GET', '/api/v1/risk-assessments/questionnaire');
  }

  /** Replaces the project's questionnaire (admins). */
  replaceQuestionnaire(questionnaire: QuestionnaireInput): Promise<QuestionnaireJson> {
    return this.client.request('PUT', '/api/v1/risk-assessments/questionnaire', { body: questionnaire });
  }

  assess(input: z.input<typeof createAssessmentSchema>): Promise<AssessmentJson> {
    return this.client.request('POST', '/api/v1/risk-assessments', { body: input });
  }

  /** What the answers so far would give (tier, category, reasons, required controls); nothing is stored. */
  preview(input: z.input<typeof createAssessmentSchema>): Promise<AssessmentPreview> {
    return this.client.request('POST', '/api/v1/risk-assessments', {
      body: input,
      query: { dry_run: 'true' },
    });
  }

  list(query: { use_case_id?: string; limit?: number } = {}): Promise<{ assessments: AssessmentJson[] }> {
    return this.client.request('GET', '/api/v1/risk-assessments', { query: { ...query } });
  }

  get(id: string): Promise<AssessmentJson> {
    return this.client.request('GET', `/api/v1/risk-assessments/${seg(id)}`);
  }
}

export interface FactsheetExportResult {
  contentType: string;
  /** The file name the server suggests. */
  filename: string | null;
  bytes: Uint8Array;
  /** PDF only: whether Korean text is shown (a Hangul font was found on the server). */
  hangul: boolean | null;
}

function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) return decodeURIComponent(encoded[1]!);
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? null;
}

export class FactsheetsApi {
  constructor(private readonly client: SdkTransport) {}

  /** The factsheet (by use case id or name; `approach`: an approach id or version number). */
  get(useCase: string, options: { approach?: string | number } = {}): Promise<Factsheet> {
    return this.client.request('GET', `/api/v1/factsheets/${seg(useCase)}`, {
      query: { approach: options.approach === undefined ? undefined : String(options.approach) },
    });
  }

  /** The factsheet as a file: Markdown, JSON or PDF. */
  async export(
    useCase: string,
    format: FactsheetFormat,
    options: { approach?: string | number; lang?: 'en' | 'ko' } = {},
  ): Promise<FactsheetExportResult> {
    const response = await this.client.raw('GET', `/api/v1/factsheets/${seg(useCase)}`, {
      query: {
        format,
        approach: options.approach === undefined ? undefined : String(options.approach),
        lang: options.lang,
      },
    });
    const hangul = response.headers.get('x-keel-pdf-hangul');
    return {
      contentType: response.headers.get('content-type') ?? '',
      filename: filenameOf(response.headers.get('content-disposition')),
      bytes: new Uint8Array(await response.arrayBuffer()),
      hangul: hangul === null ? null : hangul === 'true',
    };
  }

  /** Field-by-field changes between two approach versions (ids or version numbers). */
  diff(useCase: string, from: string | number, to: string | number): Promise<FactsheetDiff> {
    return this.client.request('GET', `/api/v1/factsheets/${seg(useCase)}/diff`, {
      query: { from: String(from), to: String(to) },
    });
  }
}
