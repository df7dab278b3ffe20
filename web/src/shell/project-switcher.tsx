import { useI18n } from '../i18n/i18n-context';
import { useMe, useSession } from '../session/session-context';

/** Picks the project every request acts in (`X-Keel-Project`); lists the caller's projects. */
export function ProjectSwitcher() {
  const { t } = useI18n();
  const me = useMe();
  const { projectId, setProject } = useSession();
  return (
    <label className="project-switcher">
      <span className="project-label">{t('shell.project')}</span>
      <select value={projectId ?? ''} onChange={(event) => setProject(event.target.value)}>
        {me.projects.map((project) => (
          <option key={project.id} value={project.id}>
            {project.name} · {t(`role.${project.role}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
