import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import { formatBillingMonth, recentBillingMonths } from './billingMonths';

/** How far back the picker goes: a year and the current month. */
const MONTHS_SHOWN = 13;

/**
 * The month to show: the current one (UTC) and the twelve before it. A
 * month named in the URL outside that range is offered too, so the picker
 * never shows something other than what the page shows.
 */
export const MonthPicker = (props: {
  month: string;
  onChange(month: string): void;
  now?: Date;
}) => {
  const months = recentBillingMonths(props.now ?? new Date(), MONTHS_SHOWN);
  if (!months.includes(props.month)) {
    months.push(props.month);
  }
  return (
    <FormControl size="small">
      <InputLabel htmlFor="dbaas-billing-month" shrink>
        Month (UTC)
      </InputLabel>
      <NativeSelect
        id="dbaas-billing-month"
        value={props.month}
        onChange={event => props.onChange(event.target.value)}
      >
        {months.map((month, index) => (
          <option key={month} value={month}>
            {formatBillingMonth(month)}
            {index === 0 ? ' (current)' : ''}
          </option>
        ))}
      </NativeSelect>
    </FormControl>
  );
};
