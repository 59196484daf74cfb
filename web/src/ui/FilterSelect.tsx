import { Field } from './Field';

interface FilterSelectProps {
  label: string;
  name: string;
  /** The chosen value; '' is "all". */
  value: string;
  /** Each choice as [value, text]. */
  options: ReadonlyArray<readonly [string, string]>;
  onChange(value: string): void;
  /** The text of the empty choice (default "All"). */
  allLabel?: string;
}

/** A list page's filter: one select whose empty choice means no filter. */
export function FilterSelect({ label, name, value, options, onChange, allLabel = 'All' }: FilterSelectProps) {
  return (
    <Field label={label} name={name}>
      {(control) => (
        <select {...control} className="input select" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{allLabel}</option>
          {options.map(([optionValue, text]) => (
            <option key={optionValue} value={optionValue}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
