import { useId } from 'react';

/**
 * A labelled number box, with a slider beside it for bounded knobs. `null` means "not set" (the
 * server's default), available when `optional`.
 */
export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step,
  slider = false,
  optional = false,
  disabled = false,
  hint,
  unsetText,
  invalid = false,
}: {
  label: string;
  value: number | null;
  onChange(value: number | null): void;
  min: number;
  max: number;
  step: number;
  slider?: boolean;
  optional?: boolean;
  disabled?: boolean;
  hint?: string | undefined;
  unsetText?: string;
  invalid?: boolean;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const parse = (raw: string) => {
    if (raw.trim() === '') return optional ? null : min;
    const parsed = Number(raw);
    return Number.isFinite(parsed) ? parsed : value;
  };
  return (
    <div className={`field number-field${disabled ? ' is-disabled' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="number-field-controls">
        {slider ? (
          <input
            type="range"
            aria-label={label}
            min={min}
            max={max}
            step={step}
            value={value ?? min}
            disabled={disabled}
            onChange={(event) => onChange(Number(event.target.value))}
          />
        ) : null}
        <input
          id={id}
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step}
          value={value ?? ''}
          placeholder={optional ? unsetText : undefined}
          disabled={disabled}
          aria-invalid={invalid || undefined}
          aria-describedby={hint ? hintId : undefined}
          onChange={(event) => onChange(parse(event.target.value))}
        />
      </div>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
