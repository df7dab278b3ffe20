/**
 * Governance: the use-case inventory, a use case's risk questionnaire and assessment history, the
 * lifecycle board of the tracked assets, the approval queue, a use case's factsheet with exports,
 * and the audit log with its chain check.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import '../../styles/evals.css';
import { ApprovalQueue } from './approval-queue';
import { AuditLog } from './audit-log';
import { FactsheetView } from './factsheet-view';
import { InventorySection } from './inventory-section';
import { LifecycleBoard } from './lifecycle-board';
import { RiskAssessmentSection } from './risk-assessment-section';
import './risk-assessment.css';

export function GovernancePage() {
  const { t } = useI18n();
  const [useCaseId, setUseCaseId] = useState<string | null>(null);
  // Bumped after a move or a decision: the other sections reload.
  const [changed, setChanged] = useState(0);
  const bump = () => setChanged((n) => n + 1);
  return (
    <div className="page">
      <h1>{t('nav.governance')}</h1>
      <InventorySection selected={useCaseId} onSelect={setUseCaseId} changed={changed} />
      {useCaseId ? <RiskAssessmentSection useCaseId={useCaseId} changed={changed} onChanged={bump} /> : null}
      <LifecycleBoard useCaseId={useCaseId} changed={changed} onChanged={bump} />
      <ApprovalQueue useCaseId={useCaseId} changed={changed} onChanged={bump} />
      {useCaseId ? <FactsheetView useCaseId={useCaseId} changed={changed} /> : null}
      <AuditLog changed={changed} />
    </div>
  );
}
