import { ReactNode } from 'react';
import { Header } from '@backstage/ui';

/**
 * The heading of one page of the suite on the new frontend system, below
 * the plugin's header and its tabs (Databases, Approvals, Billing): the
 * page's title as a heading, what it is for, and its actions.
 */
export const DbaasPageHeading = (props: {
  title: string;
  description: string;
  actions?: ReactNode;
}) => (
  <Header
    title={props.title}
    description={props.description}
    customActions={props.actions}
  />
);
