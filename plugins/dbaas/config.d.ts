export interface Config {
  dbaas?: {
    metrics?: {
      /**
       * A Grafana dashboard for one database, linked from the Metrics card.
       * Placeholders, URL-encoded: `{namespace}`, `{name}`, `{database}`
       * (`<namespace>-<name>`) and `{cluster}`. For example
       * `https://grafana.example.com/d/postgres?var-cluster={cluster}&var-datname={database}`.
       * @visibility frontend
       */
      grafanaUrl?: string;
    };
  };
}
