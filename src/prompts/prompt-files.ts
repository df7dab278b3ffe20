/**
 * @module prompts/prompt-files
 * Prompts as code: one YAML file per template, holding every version (message, date, body) and
 * its labels, so templates can be reviewed and kept in git. Import is all or nothing: every file
 * is parsed and checked first (errors name the file, the field path and the line), then applied
 * in one transaction. Stored versions never change: a file may add versions after the stored
 * ones, but a version that differs from the stored one with the same number is a conflict.
 */
import { LineCounter, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import {
  labelNameSchema,
  type PromptFile,
  promptNameSchema,
  promptTaskSchema,
  type TemplateBody,
  templateBodySchema,
} from '../api/prompts.js';
import { type Issue, issuesFromZod, KeelError } from '../core/errors.js';
import { checkTemplate, templateSize } from './check-template.js';
import type { Caller, PromptLab } from './prompt-lab.js';
import { deepEqual } from './template-diff.js';

export const PROMPT_FILE_FORMAT = 'keel.prompt-template/v1';
export const PROMPT_FILE_SUFFIX = '.prompt.yaml';

const promptDocumentSchema = z.strictObject({
  format: z.literal(PROMPT_FILE_FORMAT),
  name: promptNameSchema,
  title: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  task: promptTaskSchema.nullable().optional(),
  labels: z.record(labelNameSchema, z.number().int().min(1)).optional(),
  versions: z
    .array(
      z.strictObject({
        version: z.number().int().min(1),
        message: z.string().max(2000).optional(),
        created_at: z.union([z.string(), z.date()]).optional(),
        created_by: z.string().nullable().optional(),
        template: templateBodySchema,
      }),
    )
    .min(1),
});
type PromptDocument = z.infer<typeof promptDocumentSchema>;

/** Templates of the project (all, or the named ones) as YAML files. */
export async function exportPromptFiles(
  lab: PromptLab,
  projectId: string,
  names?: string[],
): Promise<PromptFile[]> {
  const wanted = names?.length
    ? names
    : (await lab.templates.list(projectId, { limit: 100_000 })).map((summary) => summary.name).sort();
  const files: PromptFile[] = [];
  for (const name of wanted) {
    const { summary, versions } = await lab.templates.allVersions(projectId, name);
    const document: PromptDocument = {
      format: PROMPT_FILE_FORMAT,
      name: summary.name,
      ...(summary.title ? { title: summary.title } : {}),
      ...(summary.description ? { description: summary.description } : {}),
      ...(summary.task ? { task: summary.task } : {}),
      labels: summary.labels,
      versions: versions.map((version) => ({
        version: version.version,
        message: version.message,
        created_at: version.created_at,
        created_by: version.created_by,
        template: version.body,
      })),
    };
    const header = `# Prompt template "${summary.name}" exported from Keel. Import with: keel prompt import <files>\n`;
    files.push({
      path: `${summary.name}${PROMPT_FILE_SUFFIX}`,
      content: header + stringify(document, { lineWidth: 0 }),
    });
  }
  return files;
}

/** Parses and checks one file; problems are issues whose path starts with the file name. */
export function parsePromptFile(file: PromptFile): { document?: PromptDocument; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const yaml = parseDocument(file.content, { lineCounter, prettyErrors: false });
  if (yaml.errors.length) {
    return {
      issues: yaml.errors.map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        return {
          code: 'invalid_yaml',
          path: [file.path],
          message: `line ${at.line}, column ${at.col}: ${error.message.split('\n')[0]}`,
        };
      }),
    };
  }
  const lineOf = (path: (string | number)[]) => {
    const node = yaml.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? ` (line ${lineCounter.linePos(node.range[0]).line})` : '';
  };
  const parsed = promptDocumentSchema.safeParse(yaml.toJS());
  if (!parsed.success) {
    return {
      issues: issuesFromZod(parsed.error.issues).map((issue) => ({
        ...issue,
        path: [file.path, ...issue.path],
        message: `${issue.message}${lineOf(issue.path)}`,
      })),
    };
  }
  const document = parsed.data;
  const issues: Issue[] = [];
  document.versions.forEach((version, index) => {
    if (version.version !== index + 1) {
      issues.push({
        code: 'invalid_version',
        path: [file.path, 'versions', index, 'version'],
        message: `versions must be 1, 2, 3… in order; expected ${index + 1}${lineOf(['versions', index, 'version'])}`,
      });
    }
    try {
      checkTemplate(version.template, ['versions', index, 'template']);
    } catch (error) {
      const keelError = error as KeelError;
      for (const issue of keelError.issues ?? [])
        issues.push({
          ...issue,
          path: [file.path, ...issue.path],
          message: `${issue.message}${lineOf(issue.path)}`,
        });
    }
  });
  for (const [label, version] of Object.entries(document.labels ?? {})) {
    if (version > document.versions.length) {
      issues.push({
        code: 'unknown_version',
        path: [file.path, 'labels', label],
        message: `points at version ${version}, which the file does not have${lineOf(['labels', label])}`,
      });
    }
  }
  return { document, issues };
}

export interface ImportResult {
  path: string;
  name: string;
  created: boolean;
  versions_added: number[];
  labels_moved: string[];
  unchanged: boolean;
}

class DryRunRollback extends Error {}

/** Imports files in one transaction; with `dryRun` everything is checked and nothing is kept. */
export async function importPromptFiles(
  lab: PromptLab,
  caller: Caller,
  files: PromptFile[],
  dryRun = false,
): Promise<ImportResult[]> {
  const issues: Issue[] = [];
  const documents: { file: PromptFile; document: PromptDocument }[] = [];
  const names = new Map<string, string>();
  for (const file of files) {
    const { document, issues: fileIssues } = parsePromptFile(file);
    issues.push(...fileIssues);
    if (!document) continue;
    const other = names.get(document.name);
    if (other)
      issues.push({
        code: 'duplicate_name',
        path: [file.path, 'name'],
        message: `"${document.name}" is also defined in ${other}`,
      });
    names.set(document.name, file.path);
    documents.push({ file, document });
  }
  if (issues.length) throw importError(issues);

  const results: ImportResult[] = [];
  try {
    await lab.templates.db.transaction(async (tx) => {
      for (const { file, document } of documents) {
        const result: ImportResult = {
          path: file.path,
          name: document.name,
          created: false,
          versions_added: [],
          labels_moved: [],
          unchanged: false,
        };
        const metadata = {
          title: document.title,
          description: document.description,
          task: document.task ?? undefined,
        };
        const existing = await lab.templates.findId(tx, caller.projectId, document.name);
        let templateId: string;
        let stored = { bodies: new Map<number, TemplateBody>(), labels: {} as Record<string, number> };
        if (existing) {
          templateId = existing.id;
          stored = await lab.templates.contents(tx, templateId);
          for (const version of document.versions) {
            const body = stored.bodies.get(version.version);
            if (body && !deepEqual(body, version.template)) {
              issues.push({
                code: 'version_differs',
                path: [file.path, 'versions', version.version - 1],
                message: `version ${version.version} differs from the stored one; versions never change — add your edit as version ${existing.latestVersion + 1}`,
              });
            }
          }
          if (document.versions.length < existing.latestVersion) {
            result.unchanged = true;
          }
          await lab.templates.updateForImport(
            tx,
            templateId,
            metadata,
            Math.max(existing.latestVersion, document.versions.length),
          );
        } else {
          templateId = await lab.templates.insertTemplate(
            tx,
            caller.projectId,
            caller.actor,
            { name: document.name, ...metadata },
            document.versions.length,
          );
          result.created = true;
        }
        for (const version of document.versions) {
          if (stored.bodies.has(version.version)) continue;
          const createdAt = version.created_at ? new Date(version.created_at) : undefined;
          const validDate = createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : undefined;
          await lab.templates.insertVersion(
            tx,
            templateId,
            version.version,
            version.template,
            version.message ?? '',
            templateSize(version.template),
            caller.actor,
            validDate,
          );
          result.versions_added.push(version.version);
        }
        for (const [label, version] of Object.entries(document.labels ?? {})) {
          if (stored.labels[label] === version) continue;
          await lab.labels.setLabel(
            caller.projectId,
            caller.actor,
            document.name,
            label,
            version,
            undefined,
            tx,
          );
          result.labels_moved.push(label);
        }
        result.unchanged =
          !result.created && result.versions_added.length === 0 && result.labels_moved.length === 0;
        results.push(result);
      }
      if (issues.length) throw importError(issues);
      if (dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  if (!dryRun) {
    for (const result of results) {
      if (result.unchanged) continue;
      lab.templates.audit.record({
        action: 'template.import',
        projectId: caller.projectId,
        target: { type: 'template', id: null },
        after: result,
        detail: {
          name: result.name,
          created: result.created,
          versions: result.versions_added.join(','),
          labels: result.labels_moved.join(','),
        },
      });
    }
  }
  return results;
}

function importError(issues: Issue[]): KeelError {
  const first = issues[0]!;
  const [file, ...path] = first.path;
  return new KeelError(
    'invalid_request',
    `Cannot import ${file}${path.length ? ` at ${path.join('.')}` : ''}: ${first.message}. Nothing was imported.`,
    {
      issues,
      data: { files: [...new Set(issues.map((issue) => issue.path[0]))] },
    },
  );
}
