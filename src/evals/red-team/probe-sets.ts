/**
 * @module evals/red-team/probe-sets
 * The probe sets a red-team run can use: Keel's own (written for Keel, Korean and English, every
 * category) and the public sets loaded from a datasets directory when the server has one
 * (`public-sets.ts`). A set is validated once, when it is first asked for.
 */
import { KeelError } from '../../core/errors.js';
import { type Probe, type ProbeInput, probeSchema } from './probe.js';
import { directInjectionProbes } from './probes/direct-injection.js';
import { hapElicitationProbes } from './probes/hap-elicitation.js';
import { indirectInjectionProbes } from './probes/indirect-injection.js';
import { jailbreakProbes } from './probes/jailbreak.js';
import { piiExtractionProbes } from './probes/pii-extraction.js';
import { systemPromptExtractionProbes } from './probes/system-prompt-extraction.js';
import { type PublicProbeSet, publicProbeSets } from './public-sets.js';

export const BUILTIN_SET = 'keel';

export interface ProbeSetSummary {
  name: string;
  description: string;
  source: 'builtin' | 'dataset';
  probes: number;
  /** Probes per `category:language`. */
  counts: Record<string, number>;
}

/** Parses probes, naming the first that does not fit the schema (a data file's mistake is a 4xx). */
export function parseProbes(inputs: readonly ProbeInput[], setName: string): Probe[] {
  const seen = new Set<string>();
  return inputs.map((input, index) => {
    const parsed = probeSchema.safeParse(input);
    if (!parsed.success)
      throw new KeelError('invalid_request', `Probe ${index + 1} of set "${setName}" is not valid.`, {
        issues: parsed.error.issues.map((issue) => ({
          code: issue.code,
          path: [index, ...issue.path.map(String)],
          message: issue.message,
        })),
      });
    if (seen.has(parsed.data.id))
      throw new KeelError(
        'invalid_request',
        `Probe id "${parsed.data.id}" appears twice in set "${setName}".`,
        {
          issues: [
            { code: 'duplicate_id', path: [index, 'id'], message: 'probe ids are unique within a set' },
          ],
        },
      );
    seen.add(parsed.data.id);
    return parsed.data;
  });
}

let builtin: Probe[] | undefined;

/** Keel's own probes: six categories, Korean and English. */
export function builtinProbes(): Probe[] {
  builtin ??= parseProbes(
    [
      ...directInjectionProbes,
      ...indirectInjectionProbes,
      ...jailbreakProbes,
      ...systemPromptExtractionProbes,
      ...piiExtractionProbes,
      ...hapElicitationProbes,
    ],
    BUILTIN_SET,
  );
  return builtin;
}

export function countsOf(probes: readonly Probe[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const probe of probes) {
    const key = `${probe.category}:${probe.language}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

// Public sets are parsed once per datasets folder, the way Keel's own are (the files are read-only data).
const publicCache = new Map<string, Promise<Probe[] | undefined>>();

/**
 * A public set's probes, validated with the same schema as Keel's own; undefined when its files
 * are not under `datasetsDir` (a set that is there but malformed is a coded 4xx).
 */
function loadPublicSet(set: PublicProbeSet, datasetsDir: string): Promise<Probe[] | undefined> {
  const key = `${datasetsDir}\u0000${set.name}`;
  let cached = publicCache.get(key);
  if (!cached) {
    cached = set.load(datasetsDir).then(
      (probes) => parseProbes(probes, set.name),
      (error: unknown) => {
        // Absent files mean the set is not installed; ask again next time (it may be copied in).
        publicCache.delete(key);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new KeelError('invalid_request', `Probe set "${set.name}" could not be read.`, {
          cause: error,
          issues: [{ code: 'unreadable_probe_set', path: ['probe_set'], message: (error as Error).message }],
        });
      },
    );
    publicCache.set(key, cached);
  }
  return cached;
}

/** The sets available: Keel's own, and each public set found under `datasetsDir`. */
export async function listProbeSets(datasetsDir?: string): Promise<ProbeSetSummary[]> {
  const own = builtinProbes();
  const sets: ProbeSetSummary[] = [
    {
      name: BUILTIN_SET,
      description: "Keel's own probes in Korean and English: six attack categories.",
      source: 'builtin',
      probes: own.length,
      counts: countsOf(own),
    },
  ];
  if (datasetsDir) {
    for (const set of publicProbeSets) {
      const probes = await loadPublicSet(set, datasetsDir).catch(() => undefined);
      if (!probes) continue;
      sets.push({
        name: set.name,
        description: set.description,
        source: 'dataset',
        probes: probes.length,
        counts: countsOf(probes),
      });
    }
  }
  return sets;
}

/** The probes of a set by name; a set that is not there is a 404 listing the ones that are. */
export async function loadProbeSet(name: string, datasetsDir?: string): Promise<Probe[]> {
  if (name === BUILTIN_SET) return builtinProbes();
  const set = publicProbeSets.find((candidate) => candidate.name === name);
  const probes = set && datasetsDir ? await loadPublicSet(set, datasetsDir) : undefined;
  if (!probes) {
    const available = (await listProbeSets(datasetsDir)).map((summary) => summary.name);
    throw new KeelError('not_found', `Probe set "${name}" is not available.`, {
      data: { available },
      issues: [
        { code: 'unknown_probe_set', path: ['probe_set'], message: `one of: ${available.join(', ')}` },
      ],
    });
  }
  return probes;
}
