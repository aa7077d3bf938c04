/** Real receivers on localhost for the notification tests (they live in chaos/receivers.ts, shared with the chaos suite). */
export { startSmtpReceiver, startWebhookReceiver, type ReceivedMail, type ReceivedPost } from '../../chaos/receivers';
