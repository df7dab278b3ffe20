/**
 * @module governance/factsheets/factsheet-markdown
 * A factsheet as Markdown, in English or Korean: the use case and approach, every section (an
 * empty one says so), the two documentation outlines with their gaps, and the audit records it
 * was captured from. The same lines feed the PDF export.
 */
import type { Factsheet, OutlineItem } from '../../api/factsheets.js';

export type FactsheetLanguage = 'en' | 'ko';

const words = {
  en: {
    title: 'Factsheet',
    useCase: 'Use case',
    purpose: 'Purpose',
    owner: 'Business owner',
    status: 'Status',
    tags: 'Tags',
    approach: 'Approach',
    none: 'none',
    empty: '_Nothing recorded._',
    outlines: 'Documentation outlines',
    eu: 'EU AI Act — technical documentation (Annex IV)',
    korea: 'Korea AI Basic Act — high-impact AI operator documents',
    filled: 'filled',
    gap: 'GAP',
    events: 'Captured from the audit log',
    records: 'records',
    generated: 'Generated',
    omitted: (n: number) => `_${n} earlier records are not listed (the audit log holds them)._`,
  },
  ko: {
    title: '팩트시트',
    useCase: '활용 사례',
    purpose: '목적',
    owner: '업무 책임자',
    status: '상태',
    tags: '태그',
    approach: '접근 방식',
    none: '없음',
    empty: '_기록 없음._',
    outlines: '문서 개요',
    eu: 'EU AI법 — 기술 문서 (부속서 IV)',
    korea: '인공지능기본법 — 고영향 인공지능 사업자 문서',
    filled: '작성됨',
    gap: '누락',
    events: '감사 로그에서 수집',
    records: '건',
    generated: '생성 시각',
    omitted: (n: number) => `_이전 기록 ${n}건은 생략했습니다 (감사 로그에 모두 있습니다)._`,
  },
} as const;

/** Keeps a value on one Markdown line and out of table syntax. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return String(value).replace(/\s+/g, ' ').replace(/\|/g, '\\|');
}

function outline(lines: string[], title: string, items: OutlineItem[], language: FactsheetLanguage): void {
  const w = words[language];
  lines.push(`### ${title}`, '');
  for (const item of items) {
    const mark = item.filled ? `✅ ${w.filled}` : `⚠️ ${w.gap}`;
    lines.push(`- **${item.id}. ${item.heading[language]}** — ${mark}`);
    for (const fact of item.facts) lines.push(`  - ${cell(fact)}`);
    if (item.gap) lines.push(`  - ${w.gap}: ${cell(item.gap[language])}`);
  }
  lines.push('');
}

export function factsheetMarkdown(sheet: Factsheet, language: FactsheetLanguage = 'en'): string {
  const w = words[language];
  const { use_case: useCase, approach } = sheet;
  const lines: string[] = [
    `# ${w.title}: ${cell(useCase.name)}`,
    '',
    `| | |`,
    `|---|---|`,
    `| ${w.useCase} | \`${useCase.id}\` |`,
    `| ${w.purpose} | ${cell(useCase.purpose || w.none)} |`,
    `| ${w.owner} | ${cell(useCase.business_owner ?? w.none)} |`,
    `| ${w.status} | ${cell(useCase.status)} |`,
    `| ${w.tags} | ${cell(useCase.tags.join(', ') || w.none)} |`,
    `| ${w.approach} | ${approach ? cell(`v${approach.version} ${approach.name} (${approach.id})`) : w.none} |`,
    `| ${w.generated} | ${sheet.generated_at} |`,
    '',
  ];
  for (const section of sheet.sections) {
    lines.push(`## ${section.title[language]}`, '');
    if (section.empty) {
      lines.push(w.empty, '');
      continue;
    }
    for (const item of section.items) {
      lines.push(`- **${cell(item.label)}**`);
      for (const [key, value] of Object.entries(item.fields)) lines.push(`  - ${cell(key)}: ${cell(value)}`);
    }
    if (section.omitted) lines.push('', w.omitted(section.omitted));
    lines.push('');
  }
  lines.push(`## ${w.outlines}`, '');
  outline(lines, w.eu, sheet.outlines.eu_annex_iv, language);
  outline(lines, w.korea, sheet.outlines.korea_basic_act, language);
  lines.push(`## ${w.events}`, '');
  lines.push(
    `${sheet.events.total} ${w.records} (${sheet.events.first_at ?? '—'} … ${sheet.events.last_at ?? '—'}, seq ≤ ${sheet.events.last_seq ?? '—'})`,
    '',
  );
  for (const [action, count] of Object.entries(sheet.events.actions).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`- ${action}: ${count}`);
  lines.push('');
  return lines.join('\n');
}
