/**
 * The exported demo page's sentences in the interface language (`demoPage.*` messages). The demo page fills the
 * `{name}` slots itself when it runs (a class or file name, a percentage, an error's details), so each message is
 * translated here with the slot written back as `{name}`. Pure apart from i18n: tested in Node.
 */
import { t } from './i18n/i18n';

/** `{{name}}` in a message becomes `{name}` for the demo page to fill. */
const slots = (...names: string[]) => Object.fromEntries(names.map((name) => [name, `{${name}}`]));

export function demoPageStrings() {
  const useWebcam = t('demoPage.useWebcam');
  const ready = t('demoPage.ready');
  return {
    lede: t('demoPage.lede'),
    useWebcam,
    stopWebcam: t('demoPage.stopWebcam'),
    choosePhoto: t('demoPage.choosePhoto'),
    dropHint: t('demoPage.dropHint'),
    placeholder: t('demoPage.placeholder'),
    webcamPicture: t('demoPage.webcamPicture'),
    loading: t('demoPage.loading'),
    needsJavaScript: t('demoPage.needsJavaScript'),
    predictions: t('demoPage.predictions'),
    madeWith: t('demoPage.madeWith', slots('date')),
    backend: t('demoPage.backend', slots('backend')),
    backendStarting: t('demoPage.backendStarting'),
    ready,
    webcamOn: t('demoPage.webcamOn'),
    predicting: t('demoPage.predicting'),
    top: t('demoPage.top', slots('label', 'percent')),
    value: t('demoPage.value', slots('label', 'value')),
    classNumber: t('demoPage.classNumber', slots('number')),
    yourPhoto: t('demoPage.yourPhoto', slots('file')),
    notPhoto: t('demoPage.notPhoto', slots('file')),
    unreadable: t('demoPage.unreadable', slots('file')),
    stillLoading: t('demoPage.stillLoading', { ready }),
    predictionFailed: t('demoPage.predictionFailed', slots('error')),
    cameraBlocked: t('demoPage.cameraBlocked', { button: useWebcam }),
    cameraMissing: t('demoPage.cameraMissing', { button: useWebcam }),
    cameraBusy: t('demoPage.cameraBusy', { button: useWebcam }),
    cameraFailed: t('demoPage.cameraFailed', slots('error')),
    cameraUnavailable: t('demoPage.cameraUnavailable'),
    loadFailedStatus: t('demoPage.loadFailedStatus'),
    loadFailed: t('demoPage.loadFailed', slots('error')),
  };
}
