import { CHANGES_CHANNEL, type Change } from '../../api/changes';
import { openProject } from './project.svelte';
import { projects } from './projects.svelte';
import { studio } from './studio.svelte';

/** Refreshes what this tab shows when another tab changed the same data. */
export function followOtherTabs(): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANGES_CHANNEL);
  channel.onmessage = (event: MessageEvent<Change>) => {
    const change = event.data;
    if (change.origin === studio.tabId) return;
    if (change.scope === 'projects') void projects.refresh();
    if (change.scope === 'project' && change.projectId && openProject.project?.id === change.projectId) {
      void openProject.refresh();
    }
  };
  return () => channel.close();
}
