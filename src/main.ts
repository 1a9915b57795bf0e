/**
 * The page's entry: mounts the Svelte app (src/ui). The worker starts from the studio state
 * (ui/state/studio.svelte.ts); the service worker registers from ui/state/pwa.svelte.ts.
 */
import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
