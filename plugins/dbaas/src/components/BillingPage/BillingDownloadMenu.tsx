import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import ListItemText from '@material-ui/core/ListItemText';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import Typography from '@material-ui/core/Typography';
import ArrowDropDownIcon from '@material-ui/icons/ArrowDropDown';
import GetAppIcon from '@material-ui/icons/GetApp';
import type { BillingCsvFormat } from '../../api/types';
import { describeError } from '../common/describeError';
import { isForbidden } from '../common/responseStatus';
import { formatBillingMonth } from './billingMonths';
import { useBillingCsvDownload } from './useBillingCsvDownload';

const FORMATS: ReadonlyArray<{
  format: BillingCsvFormat;
  title: string;
  description: string;
}> = [
  {
    format: 'dbaas',
    title: 'CSV per database and day',
    description:
      'One line per tenant, database and day; compute split into used and idle as on this page',
  },
  {
    format: 'focus',
    title: 'FinOps FOCUS 1.3 CSV',
    description:
      'FOCUS cost and usage columns, one row per database, day and part of the cost, for FinOps tools',
  },
];

/**
 * Downloads the month as CSV, in dbaas's columns or FinOps FOCUS 1.3's,
 * labelled by what the user gets (`scope`: a tenant, `2 tenants`, `all 5
 * tenants`): for `namespace` only, or every tenant the user may read.
 */
export const BillingDownloadMenu = (props: {
  month: string;
  namespace?: string;
  scope: string;
}) => {
  const { month, namespace, scope } = props;
  const { status, download } = useBillingCsvDownload();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const menuId = `billing-download-${namespace ?? 'month'}`;
  return (
    <Box display="inline-flex" flexDirection="column" alignItems="flex-end">
      <Button
        variant="outlined"
        color="primary"
        size="small"
        aria-haspopup="menu"
        aria-controls={anchor ? menuId : undefined}
        aria-expanded={anchor ? 'true' : undefined}
        startIcon={
          status.state === 'downloading' ? (
            <CircularProgress size={16} aria-label="Downloading" />
          ) : (
            <GetAppIcon />
          )
        }
        endIcon={<ArrowDropDownIcon />}
        disabled={status.state === 'downloading'}
        title={`The costs of ${scope} in ${formatBillingMonth(month)}`}
        onClick={event => setAnchor(event.currentTarget)}
      >
        Download ({scope})
      </Button>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        getContentAnchorEl={null}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
      >
        {FORMATS.map(item => (
          <MenuItem
            key={item.format}
            onClick={() => {
              setAnchor(null);
              download({ month, namespace, format: item.format });
            }}
          >
            <ListItemText primary={item.title} secondary={item.description} />
          </MenuItem>
        ))}
      </Menu>
      {status.state === 'failed' && (
        <Typography role="alert" variant="caption" color="error">
          {isForbidden(status.error)
            ? `You may not export the billing of ${scope}.`
            : `Could not download the CSV: ${describeError(status.error)}`}
        </Typography>
      )}
    </Box>
  );
};
