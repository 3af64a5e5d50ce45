import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { describeError } from '../common/describeError';
import { isForbidden } from '../common/responseStatus';
import { formatBillingMonth } from './billingMonths';
import { useBillingCsvDownload } from './useBillingCsvDownload';

/**
 * Downloads the month as CSV: one line per tenant, database and day, for
 * every tenant the user may read, or for `namespace` only.
 */
export const CsvDownloadButton = (props: {
  month: string;
  namespace?: string;
}) => {
  const { month, namespace } = props;
  const { status, download } = useBillingCsvDownload();
  const what = namespace ? namespace : 'all tenants';
  return (
    <Box display="inline-flex" flexDirection="column" alignItems="flex-end">
      <Button
        variant="outlined"
        color="primary"
        size="small"
        startIcon={
          status.state === 'downloading' ? (
            <CircularProgress size={16} aria-label="Downloading" />
          ) : (
            <GetAppIcon />
          )
        }
        disabled={status.state === 'downloading'}
        title={`One line per tenant, database and day of ${formatBillingMonth(
          month,
        )}`}
        onClick={() => download({ month, namespace })}
      >
        CSV ({what})
      </Button>
      {status.state === 'failed' && (
        <Typography role="alert" variant="caption" color="error">
          {isForbidden(status.error)
            ? `You may not export the billing of ${what}.`
            : `Could not download the CSV: ${describeError(status.error)}`}
        </Typography>
      )}
    </Box>
  );
};
