import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { dbaasRestoreApprovePermission } from '@dbaas/plugin-dbaas-common';
import type { Request } from 'express';
import { DatabaseAccess } from '../access/DatabaseAccess';

/** Who is calling, and the HTTP request when it came through the REST API. */
export interface RestoreCallContext {
  credentials: BackstageCredentials;
  request?: Request<any, any, any, any, any>;
}

/** The signed-in user behind a call. */
export interface RestoreCaller {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/**
 * Who may decide on restore requests. The policy's `dbaas.restore.approve`
 * is necessary, not sufficient: `dbaas.restore.approvers` narrows it to
 * members of those groups when set, and the requester never decides on
 * their own request. These limits are the plugin's own so that a lenient
 * policy cannot lift them.
 */
export class RestoreDeciders {
  constructor(
    private readonly access: DatabaseAccess,
    private readonly userInfo: UserInfoService,
    private readonly approverGroups: string[],
  ) {}

  /** Undefined for service principals: only people request and decide. */
  async identify(
    credentials: BackstageCredentials,
  ): Promise<RestoreCaller | undefined> {
    if ((credentials.principal as { type?: string })?.type !== 'user') {
      return undefined;
    }
    const info = await this.userInfo.getUserInfo(credentials);
    return {
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
  }

  async requireUser(credentials: BackstageCredentials): Promise<RestoreCaller> {
    const caller = await this.identify(credentials);
    if (!caller) {
      throw new NotAllowedError(
        'Only signed-in users request and decide restores',
      );
    }
    return caller;
  }

  /** Whether the caller may approve restores in general (not yet: their own). */
  async isApprover(
    caller: RestoreCaller,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    return (await this.refusal(caller, credentials)) === undefined;
  }

  /** Why the caller may not approve or reject restores, if they may not. */
  async refusal(
    caller: RestoreCaller,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    if (
      this.approverGroups.length > 0 &&
      !caller.ownershipEntityRefs.some(ref => this.approverGroups.includes(ref))
    ) {
      return `Only members of ${this.approverGroups.join(
        ', ',
      )} (dbaas.restore.approvers) may decide on restores`;
    }
    if (
      !(await this.access.isAllowed(dbaasRestoreApprovePermission, credentials))
    ) {
      return 'You may not decide on restores (dbaas.restore.approve)';
    }
    return undefined;
  }

  /** Groups to notify of new requests; empty when approvers are not named. */
  get notifiedGroups(): string[] {
    return this.approverGroups;
  }
}
