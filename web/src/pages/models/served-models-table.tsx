import type { ModelsOverview } from '@keel/api/models';
import { useI18n } from '../../i18n/i18n-context';
import { TaskTags } from './task-tags';

/** The models the providers serve now, by the id requests use. */
export function ServedModelsTable({ models }: { models: ModelsOverview['models'] }) {
  const { t, format } = useI18n();
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{t('models.served')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('models.id')}</th>
            <th scope="col">{t('models.provider')}</th>
            <th scope="col">{t('models.kinds')}</th>
            <th scope="col">{t('models.tasks')}</th>
            <th scope="col" className="numeric">
              {t('models.context')}
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.id}>
              <td>
                <code>{model.id}</code>
              </td>
              <td>{model.provider}</td>
              <td>{model.kinds.map((kind) => t(`models.kind.${kind}`)).join(', ')}</td>
              <td>{model.tasks?.length ? <TaskTags tasks={model.tasks} /> : '—'}</td>
              <td className="numeric">{model.context_length ? format.number(model.context_length) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
