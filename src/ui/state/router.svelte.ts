/** Hash routes, so the app works from any static host and from the service worker's cache. */
export type Route =
  | { screen: 'projects' }
  | { screen: 'collect'; projectId: string }
  | { screen: 'train'; projectId: string }
  | { screen: 'evaluate'; projectId: string }
  | { screen: 'export'; projectId: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'project' && parts[1]) {
    if (parts[2] === 'train') return { screen: 'train', projectId: parts[1] };
    if (parts[2] === 'evaluate') return { screen: 'evaluate', projectId: parts[1] };
    if (parts[2] === 'export') return { screen: 'export', projectId: parts[1] };
    return { screen: 'collect', projectId: parts[1] };
  }
  return { screen: 'projects' };
}

export function routeHref(route: Route): string {
  switch (route.screen) {
    case 'projects':
      return '#/';
    case 'collect':
      return `#/project/${encodeURIComponent(route.projectId)}`;
    case 'train':
      return `#/project/${encodeURIComponent(route.projectId)}/train`;
    case 'evaluate':
      return `#/project/${encodeURIComponent(route.projectId)}/evaluate`;
    case 'export':
      return `#/project/${encodeURIComponent(route.projectId)}/export`;
  }
}

class Router {
  route = $state<Route>(parseRoute(location.hash));

  constructor() {
    addEventListener('hashchange', () => {
      this.route = parseRoute(location.hash);
    });
  }

  go(route: Route): void {
    location.hash = routeHref(route);
  }
}

export const router = new Router();
