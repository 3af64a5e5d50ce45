import { ButtonLink } from '@backstage/ui';

/** The self-service form that requests a database (the bundled template). */
export const REQUEST_DATABASE_PATH =
  '/create/templates/default/postgres-database';

/**
 * Opens the request form: a link in the style of the header it sits in
 * (`@backstage/ui`), not a Material UI button.
 */
export const RequestDatabaseButton = () => (
  <ButtonLink href={REQUEST_DATABASE_PATH} variant="primary">
    Request a database
  </ButtonLink>
);
