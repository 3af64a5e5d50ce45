export { ApprovalsPage, NfsApprovalsPage } from './ApprovalsPage';
