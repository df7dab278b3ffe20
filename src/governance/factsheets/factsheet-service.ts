/**
 * @module governance/factsheets/factsheet-service
 * Factsheets of use cases: built on request from what governance recorded (nothing is typed in
 * by hand), viewed as JSON, exported as Markdown, JSON or PDF, and diffed between two approach
 * versions. Every export is audited; an export of a use case the caller's project does not hold
 * is a 404 (the same answer as a use case that does not exist) and is audited as refused.
 */
import type { Factsheet, FactsheetDiff, FactsheetFormat } from '../../api/factsheets.js';
import type { AuditRecorder } from '../../audit/index.js';
import { isKeelError } from '../../core/errors.js';
import { diffFactsheets } from './factsheet-diff.js';
import { type FactsDeps, gatherFacts } from './factsheet-facts.js';
import { type FactsheetLanguage, factsheetMarkdown } from './factsheet-markdown.js';
import { factsheetPdf } from './factsheet-pdf.js';
import { buildFactsheet } from './factsheet-sections.js';

export interface FactsheetServiceDeps extends FactsDeps {
  recorder: AuditRecorder;
  /** A TTF/OTF font with Hangul for PDF exports (`factsheets.font`), tried first. */
  fontPath?: string | null | undefined;
  /** Where else to look for one (`factsheets.fontSearchPaths`; common locations when not given). */
  fontSearchPaths?: readonly string[] | undefined;
}

export interface FactsheetExport {
  contentType: string;
  filename: string;
  body: string | Uint8Array;
  /** PDF only: whether Korean text is shown. */
  hangul?: boolean;
}

export interface ExportOptions {
  format?: FactsheetFormat | undefined;
  approach?: string | undefined;
  language?: FactsheetLanguage | undefined;
}

function fileStem(sheet: Factsheet): string {
  const name = sheet.use_case.name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return `factsheet-${name || sheet.use_case.id}${sheet.approach ? `-v${sheet.approach.version}` : ''}`;
}

export class FactsheetService {
  constructor(readonly deps: FactsheetServiceDeps) {}

  /** The factsheet of a use case and one approach (the newest when not named). */
  async build(projectId: string, useCaseId: string, approach?: string): Promise<Factsheet> {
    return buildFactsheet(await gatherFacts(this.deps, projectId, useCaseId, approach));
  }

  /** The factsheet in one format, audited (a refused export too). */
  async export(
    caller: { projectId: string; actor?: string | undefined },
    useCaseId: string,
    options: ExportOptions = {},
  ): Promise<FactsheetExport> {
    const format = options.format ?? 'json';
    let sheet: Factsheet;
    try {
      sheet = await this.build(caller.projectId, useCaseId, options.approach);
    } catch (error) {
      if (isKeelError(error) && error.code === 'not_found')
        this.deps.recorder.record({
          action: 'governance.factsheet.refused',
          projectId: caller.projectId,
          target: { type: 'factsheet', id: null },
          detail: {
            useCase: useCaseId.slice(0, 100),
            format,
            reason: error.issues?.[0]?.code ?? 'not_found',
          },
        });
      throw error;
    }
    const stem = fileStem(sheet);
    let result: FactsheetExport;
    if (format === 'md')
      result = {
        contentType: 'text/markdown; charset=utf-8',
        filename: `${stem}.md`,
        body: factsheetMarkdown(sheet, options.language ?? 'en'),
      };
    else if (format === 'pdf') {
      const pdf = await factsheetPdf(sheet, {
        language: options.language ?? 'en',
        fontPath: this.deps.fontPath,
        fontCandidates: this.deps.fontSearchPaths,
      });
      result = {
        contentType: 'application/pdf',
        filename: `${stem}.pdf`,
        body: pdf.bytes,
        hangul: pdf.hangul,
      };
    } else
      result = {
        contentType: 'application/json; charset=utf-8',
        filename: `${stem}.json`,
        body: `${JSON.stringify(sheet, null, 2)}\n`,
      };
    this.deps.recorder.record({
      action: 'governance.factsheet.export',
      projectId: caller.projectId,
      target: { type: 'factsheet', id: null },
      after: typeof result.body === 'string' ? result.body : Buffer.from(result.body).toString('base64'),
      detail: {
        useCase: sheet.use_case.id,
        approach: sheet.approach?.id ?? null,
        format,
        events: sheet.events.total,
        lastSeq: sheet.events.last_seq,
        ...(result.hangul === undefined ? {} : { hangul: result.hangul }),
      },
    });
    return result;
  }

  /** Field-by-field changes between two approach versions (ids or version numbers) of one use case. */
  async diff(projectId: string, useCaseId: string, from: string, to: string): Promise<FactsheetDiff> {
    const before = await this.build(projectId, useCaseId, from);
    const after = await this.build(projectId, useCaseId, to);
    // Both name an approach (an unknown one is a 404 from `build`).
    const a = before.approach!;
    const b = after.approach!;
    return {
      use_case_id: useCaseId,
      from: { id: a.id, version: a.version },
      to: { id: b.id, version: b.version },
      changes: diffFactsheets(before, after),
    };
  }
}
