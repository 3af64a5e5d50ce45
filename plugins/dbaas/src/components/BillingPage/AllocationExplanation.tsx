import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  BillingAllocationSettings,
  ClusterCostCents,
} from '@dbaas/plugin-dbaas-common';
import { allocationRules } from './allocationRules';
import { formatCents } from './formatMoney';
import { formatHours } from './forecastFormula';

const useStyles = makeStyles(theme => ({
  rules: {
    margin: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
    gap: theme.spacing(2, 4),
  },
  rule: {
    margin: 0,
  },
  term: {
    fontWeight: 'bold',
  },
  clusters: {
    marginTop: theme.spacing(3),
  },
  details: {
    display: 'block',
  },
  summary: {
    display: 'flex',
    flexDirection: 'column',
  },
}));

const ClusterCosts = (props: {
  clusters: ClusterCostCents[];
  currency: string;
}) => {
  const classes = useStyles();
  const money = (cents: number) => formatCents(cents, props.currency);
  return (
    <div className={classes.clusters}>
      <Typography variant="subtitle2" component="h3">
        Clusters this month
      </Typography>
      <Typography variant="caption" color="textSecondary" paragraph>
        What each cluster cost and how much of it its databases carry; hours
        with no database on the cluster are left unallocated rather than spread
        over tenants.
      </Typography>
      <Table size="small" aria-label="Cost per cluster">
        <TableHead>
          <TableRow>
            <TableCell>Cluster</TableCell>
            <TableCell align="right">Cost</TableCell>
            <TableCell align="right">Allocated to tenants</TableCell>
            <TableCell align="right">Unallocated</TableCell>
            <TableCell align="right">ACU-hours (used)</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.clusters.map(cluster => (
            <TableRow key={cluster.cluster}>
              <TableCell>{cluster.cluster}</TableCell>
              <TableCell align="right">{money(cluster.totalCents)}</TableCell>
              <TableCell align="right">
                {money(cluster.allocatedCents)}
              </TableCell>
              <TableCell align="right">
                {money(cluster.unallocatedCents)}
              </TableCell>
              <TableCell align="right">
                {formatHours(cluster.acuHours)} (
                {formatHours(cluster.usedAcuHours)})
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
};

/**
 * "How costs are allocated", collapsed until opened: the prices and rules
 * the backend reports it used, in words, and (for those who may see every
 * tenant) the clusters' costs the tenants' amounts add up to.
 */
export const AllocationExplanation = (props: {
  settings: BillingAllocationSettings;
  clusters?: ClusterCostCents[];
}) => {
  const classes = useStyles();
  return (
    <Accordion TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls="billing-allocation-details"
        id="billing-allocation-summary"
      >
        <div className={classes.summary}>
          <Typography variant="h6" component="h2">
            How costs are allocated
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Prices in {props.settings.currency}, from the backend&apos;s
            dbaas.billing configuration, and the rules that split each
            cluster&apos;s hour between its databases
          </Typography>
        </div>
      </AccordionSummary>
      <AccordionDetails
        className={classes.details}
        id="billing-allocation-details"
        aria-labelledby="billing-allocation-summary"
      >
        <dl className={classes.rules}>
          {allocationRules(props.settings).map(rule => (
            <div key={rule.id} className={classes.rule}>
              <Typography
                component="dt"
                variant="body2"
                className={classes.term}
              >
                {rule.title}
              </Typography>
              <Typography component="dd" variant="body2" style={{ margin: 0 }}>
                {rule.text}
              </Typography>
            </div>
          ))}
        </dl>
        {props.clusters && props.clusters.length > 0 && (
          <ClusterCosts
            clusters={props.clusters}
            currency={props.settings.currency}
          />
        )}
      </AccordionDetails>
    </Accordion>
  );
};
