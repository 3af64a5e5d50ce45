import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';

/** A labelled row of radio buttons with a sentence about the chosen one. */
export function RadioChoice<T extends string>(props: {
  label: string;
  name: string;
  choices: readonly T[];
  value: T;
  descriptions: Record<T, string>;
  onChange: (value: T) => void;
}) {
  const { label, name, choices, value, descriptions, onChange } = props;
  return (
    <FormControl component="fieldset">
      <FormLabel component="legend">{label}</FormLabel>
      <RadioGroup
        row
        aria-label={label}
        name={name}
        value={value}
        onChange={event => onChange(event.target.value as T)}
      >
        {choices.map(choice => (
          <FormControlLabel
            key={choice}
            value={choice}
            control={<Radio color="primary" />}
            label={choice}
          />
        ))}
      </RadioGroup>
      <FormHelperText>{descriptions[value]}</FormHelperText>
    </FormControl>
  );
}
