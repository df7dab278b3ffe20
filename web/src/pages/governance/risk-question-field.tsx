/**
 * One question of the risk questionnaire: free text, one option (radio buttons) or several
 * (checkboxes, where an "exclusive" option such as "none of these" clears the others and is
 * cleared by them). Texts come from the questionnaire in the console's language.
 */
import type { Question } from '@keel/api/governance-risk';
import { useId } from 'react';
import type { Language } from '../../i18n/i18n-context';

export type AnswerValue = string | string[];

/** The next answer of a multiple-choice question after (un)ticking `option`. */
export function toggleOption(question: Question, current: readonly string[], option: string): string[] {
  if (current.includes(option)) return current.filter((each) => each !== option);
  const exclusive = question.options.find((each) => each.id === option)?.exclusive;
  if (exclusive) return [option];
  const exclusives = new Set(question.options.filter((each) => each.exclusive).map((each) => each.id));
  return [...current.filter((each) => !exclusives.has(each)), option];
}

export function RiskQuestionField({
  question,
  value,
  language,
  problem,
  disabled,
  onChange,
}: {
  question: Question;
  value: AnswerValue | undefined;
  language: Language;
  /** The server's message for this answer, when it refused it. */
  problem: string | null;
  disabled: boolean;
  onChange(value: AnswerValue): void;
}) {
  const ids = { text: useId(), help: useId(), problem: useId() };
  const describedBy = [question.help ? ids.help : null, problem ? ids.problem : null]
    .filter(Boolean)
    .join(' ');
  const help = question.help ? (
    <p className="hint" id={ids.help}>
      {question.help[language]}
    </p>
  ) : null;
  const error = problem ? (
    <p className="field-error" id={ids.problem} role="alert">
      {problem}
    </p>
  ) : null;
  if (question.kind === 'text')
    return (
      <div className="field risk-question" data-question={question.id}>
        <label htmlFor={ids.text}>{question.text[language]}</label>
        {help}
        <textarea
          id={ids.text}
          rows={3}
          value={typeof value === 'string' ? value : ''}
          required={question.required}
          disabled={disabled}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        {error}
      </div>
    );
  const chosen = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  const single = question.kind === 'single';
  return (
    <fieldset
      className="risk-question"
      data-question={question.id}
      aria-invalid={problem ? true : undefined}
      aria-describedby={describedBy || undefined}
    >
      <legend>{question.text[language]}</legend>
      {help}
      <div className="risk-options">
        {question.options.map((option) => (
          <label key={option.id} className="risk-option">
            <input
              type={single ? 'radio' : 'checkbox'}
              name={question.id}
              value={option.id}
              checked={chosen.includes(option.id)}
              disabled={disabled}
              onChange={() => onChange(single ? option.id : toggleOption(question, chosen, option.id))}
            />
            {option.label[language]}
          </label>
        ))}
      </div>
      {error}
    </fieldset>
  );
}
