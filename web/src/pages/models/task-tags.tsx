import { useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/messages-en';

export const modelTasks = [
  'generate',
  'chat',
  'summarize',
  'extract',
  'classify',
  'qa',
  'code',
  'embed',
  'rerank',
] as const;

export function taskLabelKey(task: string): MessageKey | undefined {
  return (modelTasks as readonly string[]).includes(task) ? (`task.${task}` as MessageKey) : undefined;
}

export function TaskTags({ tasks }: { tasks: readonly string[] }) {
  const { t } = useI18n();
  return (
    <ul className="tags">
      {tasks.map((task) => {
        const key = taskLabelKey(task);
        return <li key={task}>{key ? t(key) : task}</li>;
      })}
    </ul>
  );
}
