import { useState } from 'react';
import { Button, Flex, Text } from '@backstage/ui';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  DatabaseRef,
  formatDatabaseAnnotation,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { describeError } from '../../common/describeError';
import { isForbidden } from '../../common/responseStatus';

/**
 * Why someone may not take (or restore from) snapshots of a database: they
 * are for the owners of its tenant and the platform team.
 */
export function snapshotNotAllowedText(databaseRef: DatabaseRef): string {
  return `You may not take snapshots of ${formatDatabaseAnnotation(
    databaseRef,
  )}: snapshots on demand and restores are for the owners of the tenant ${
    databaseRef.namespace
  } and the platform team (permission dbaas.restore.request).`;
}

/**
 * Takes a logical snapshot now (self-hosted clusters): before a risky
 * migration, say. The backend answers once the dump is written. `allowed`
 * is what the permission policy said (`dbaas.restore.request` on this
 * database): without it the button is disabled, with the reason beside it.
 */
export const TakeSnapshotButton = ({
  databaseRef,
  onTaken,
  allowed = true,
}: {
  databaseRef: DatabaseRef;
  onTaken: () => void;
  allowed?: boolean;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const take = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await dbaasApi.createSnapshot(databaseRef);
      onTaken();
    } catch (e) {
      setError(
        isForbidden(e as Error)
          ? snapshotNotAllowedText(databaseRef)
          : `Could not take a snapshot: ${describeError(e as Error)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex direction="column" gap="1">
      <Button
        variant="secondary"
        onPress={take}
        isDisabled={!allowed || busy}
        isPending={busy}
        data-testid="dbaas-take-snapshot"
      >
        {busy ? 'Taking a snapshot…' : 'Take snapshot now'}
      </Button>
      {error && (
        <Text as="p" color="danger" variant="body-small" role="alert">
          {error}
        </Text>
      )}
    </Flex>
  );
};
