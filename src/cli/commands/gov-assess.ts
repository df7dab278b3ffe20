/**
 * @module cli/commands/gov-assess
 * `keel gov assess <use-case>`: completes a risk assessment, either from a file of answers
 * (`--answers answers.yaml`, YAML or JSON: `question_id: option_id | [option_ids] | text`) or by
 * asking each question of the project's questionnaire in the terminal (in English or Korean,
 * `--lang ko`). Prints the tier, the EU AI Act category, the Korea high-impact determination and
 * the reasons and the required controls (each with its reason). `keel gov questionnaire` prints the questionnaire in force, or replaces it
 * (`--replace file.yaml`, admins).
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse as parseYaml } from 'yaml';
import type { Answers, AssessmentJson, Questionnaire } from '../../api/governance-risk.js';
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { type CliIO, printJson } from '../output.js';

type Language = 'en' | 'ko';

async function readDataFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new KeelError('invalid_request', `Cannot read ${what} file "${file}".`, {
      issues: [{ code: 'unreadable_file', path: [what], message: (error as Error).message }],
    });
  }
  try {
    // YAML is a superset of JSON: one parser reads both.
    return parseYaml(text);
  } catch (error) {
    throw new KeelError('invalid_request', `The ${what} file "${file}" is not valid YAML or JSON.`, {
      issues: [{ code: 'invalid_yaml', path: [what], message: (error as Error).message.split('\n')[0]! }],
    });
  }
}

/** Reads an answers file: a map of question id → option id, option ids, or text. */
export async function readAnswersFile(file: string): Promise<Answers> {
  const data = await readDataFile(file, 'answers');
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new KeelError('invalid_request', 'The answers file must map question ids to answers.', {
      issues: [{ code: 'invalid_type', path: ['answers'], message: 'expected a mapping' }],
    });
  const answers: Answers = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (Array.isArray(value)) answers[key] = value.map(String);
    else if (value !== null && value !== undefined) answers[key] = String(value);
  }
  return answers;
}

/** Asks every question on the terminal; lines come from stdin, prompts go to stderr. */
export async function askAnswers(
  io: CliIO,
  questionnaire: Questionnaire,
  language: Language,
): Promise<Answers> {
  const reader = createInterface({ input: io.stdin, terminal: false });
  const lines = reader[Symbol.asyncIterator]();
  const say = (text: string) => io.stderr.write(text);
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done)
      throw new KeelError('invalid_request', 'The input ended before every question was answered.', {
        issues: [
          { code: 'incomplete_answers', path: ['answers'], message: 'use --answers file.yaml instead' },
        ],
      });
    return line.value.trim();
  };
  const answers: Answers = {};
  try {
    say(`${questionnaire.title[language]} (${questionnaire.id} ${questionnaire.version})\n`);
    for (const section of questionnaire.sections) {
      say(`\n== ${section.title[language]} ==\n`);
      for (const question of section.questions) {
        say(`\n${question.text[language]}\n`);
        if (question.kind === 'text') {
          for (let tries = 0; tries < 3; tries++) {
            say('> ');
            const text = await next();
            if (text || !question.required) {
              if (text) answers[question.id] = text;
              break;
            }
          }
          continue;
        }
        question.options.forEach((option, i) => {
          say(`  ${i + 1}) ${option.label[language]}\n`);
        });
        const hint = question.kind === 'multiple' ? ' (1,3 …)' : '';
        for (let tries = 0; ; tries++) {
          say(`>${hint} `);
          const picks = (await next())
            .split(/[,\s]+/)
            .filter(Boolean)
            .map((pick) => (/^\d+$/.test(pick) ? question.options[Number(pick) - 1]?.id : pick));
          const valid =
            picks.length > 0 &&
            picks.every((id) => question.options.some((option) => option.id === id)) &&
            (question.kind === 'multiple' || picks.length === 1);
          if (valid) {
            answers[question.id] = question.kind === 'single' ? picks[0]! : (picks as string[]);
            break;
          }
          if (!question.required && picks.length === 0) break;
          if (tries >= 2)
            throw new KeelError('invalid_request', `No valid answer to "${question.id}".`, {
              issues: [
                { code: 'invalid_value', path: ['answers', question.id], message: 'choose listed options' },
              ],
            });
          say(language === 'ko' ? '목록의 번호를 입력하십시오.\n' : 'Choose by number from the list.\n');
        }
      }
    }
  } finally {
    reader.close();
  }
  return answers;
}

function printAssessment(
  io: CliIO,
  assessment: Pick<
    AssessmentJson,
    | 'use_case_id'
    | 'tier'
    | 'eu_category'
    | 'korea_high_impact'
    | 'scorecard'
    | 'prohibited'
    | 'required_controls'
  > &
    Partial<Pick<AssessmentJson, 'id' | 'version'>>,
  language: Language,
  heading = `Assessment ${assessment.id} (version ${assessment.version} of ${assessment.use_case_id})`,
): void {
  const out = io.stdout;
  out.write(`${heading}\n`);
  out.write(`  tier:               ${assessment.tier}\n`);
  out.write(`  EU AI Act:          ${assessment.eu_category}\n`);
  out.write(`  Korea high-impact:  ${assessment.korea_high_impact ? 'yes' : 'no'}\n`);
  out.write(`  score:              ${assessment.scorecard.score}\n`);
  if (assessment.prohibited) out.write('  PROHIBITED: the use case is blocked.\n');
  out.write('Reasons:\n');
  for (const reason of assessment.scorecard.reasons) out.write(`  - ${reason.text[language]}\n`);
  if (!assessment.required_controls.length) return;
  out.write(language === 'ko' ? '필요한 통제:\n' : 'Required controls:\n');
  for (const control of assessment.required_controls) {
    out.write(`  - [${control.citation}] ${control.text[language]}\n`);
    out.write(`      ${language === 'ko' ? '근거' : 'because'}: ${control.reason[language]}\n`);
  }
}

export const assessCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const language: Language = options.lang === 'ko' ? 'ko' : 'en';
    let answers: Answers;
    if (options.answers) answers = await readAnswersFile(String(options.answers));
    else {
      const { questionnaire } = await client.risk.questionnaire();
      answers = await askAnswers(context.io, questionnaire as Questionnaire, language);
    }
    const input = {
      use_case_id: args[0]!,
      answers,
      ...(options.approach ? { approach_id: String(options.approach) } : {}),
      ...(options.note ? { note: String(options.note) } : {}),
    };
    if (options.dryRun) {
      // A preview: scored like a save, but nothing is stored or audited.
      const preview = await client.risk.preview(input);
      if (context.global.json) printJson(context.io, preview);
      else {
        const heading =
          language === 'ko'
            ? `${preview.use_case_id} 평가 미리보기 (저장하지 않음)`
            : `Preview of an assessment of ${preview.use_case_id} (not saved)`;
        printAssessment(context.io, preview, language, heading);
        if (preview.unanswered.length)
          context.io.stdout.write(
            `${language === 'ko' ? '답하지 않은 질문' : 'Unanswered'}: ${preview.unanswered.join(', ')}\n`,
          );
      }
      return 0;
    }
    const assessment = await client.risk.assess(input);
    if (context.global.json) printJson(context.io, assessment);
    else printAssessment(context.io, assessment, language);
    return 0;
  });

export const questionnaireCommand: CommandHandler = (context, _args, options) =>
  withConnection(context, async ({ client }) => {
    if (options.replace) {
      const data = await readDataFile(String(options.replace), 'questionnaire');
      const stored = await client.risk.replaceQuestionnaire(data as never);
      if (context.global.json) printJson(context.io, stored);
      else
        context.io.stdout.write(
          `Questionnaire revision ${stored.revision} is in force (${stored.digest}).\n`,
        );
      return 0;
    }
    const stored = await client.risk.questionnaire();
    printJson(context.io, context.global.json ? stored : stored.questionnaire);
    return 0;
  });
