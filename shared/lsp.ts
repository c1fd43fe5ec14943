/** LSP message types built from protocol.ts; client and server use only these `.type`s. */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type * as p from './protocol';
import {
	BackendUnavailable, DecideFindings, EvaluateGates, ExportDataset, ExportProgressNotification as ExportProgress, ForgetSessions, GetSession, GetStatus, ImportSessions, ListFindings, ListSessions,
	ListSources, RateSession, RenderTranscript, ScoreSessions, SetConsent, SetDisabledSources, SetSessionBlock, StoreChanged,
	TrainCancel, TrainFetch, TrainFollow, TrainLaunch, TrainLog, TrainMetrics, TrainPreflight, TrainRuns, TrainState, TrainUnfollow,
} from './protocol';

export const ListSessionsRequest = new RequestType<p.ListSessions.Params, p.ListSessions.Result, void>(ListSessions.method);
export const GetSessionRequest = new RequestType<p.GetSession.Params, p.GetSession.Result, void>(GetSession.method);
export const RenderTranscriptRequest = new RequestType<p.RenderTranscript.Params, p.RenderTranscript.Result, void>(RenderTranscript.method);
export const ImportSessionsRequest = new RequestType<p.ImportSessions.Params, p.ImportSessions.Result, void>(ImportSessions.method);
export const SetConsentRequest = new RequestType<p.SetConsent.Params, p.SetConsent.Result, void>(SetConsent.method);
export const ExportDatasetRequest = new RequestType<p.ExportDataset.Params, p.ExportDataset.Result, void>(ExportDataset.method);
export const GetStatusRequest = new RequestType<p.GetStatus.Params, p.GetStatus.Result, void>(GetStatus.method);
export const ListFindingsRequest = new RequestType<p.ListFindings.Params, p.ListFindings.Result, void>(ListFindings.method);
export const DecideFindingsRequest = new RequestType<p.DecideFindings.Params, p.DecideFindings.Result, void>(DecideFindings.method);
export const SetSessionBlockRequest = new RequestType<p.SetSessionBlock.Params, p.SetSessionBlock.Result, void>(SetSessionBlock.method);
export const ScoreSessionsRequest = new RequestType<p.ScoreSessions.Params, p.ScoreSessions.Result, void>(ScoreSessions.method);
export const EvaluateGatesRequest = new RequestType<p.EvaluateGates.Params, p.EvaluateGates.Result, void>(EvaluateGates.method);
export const RateSessionRequest = new RequestType<p.RateSession.Params, p.RateSession.Result, void>(RateSession.method);
export const ForgetSessionsRequest = new RequestType<p.ForgetSessions.Params, p.ForgetSessions.Result, void>(ForgetSessions.method);
export const StoreChangedNotification = new NotificationType<p.StoreChanged.Params>(StoreChanged.method);
export const BackendUnavailableNotification = new NotificationType<p.BackendUnavailable.Params>(BackendUnavailable.method);
export const ExportProgressNotification = new NotificationType<p.ExportProgressNotification.Params>(ExportProgress.method);

// Sources (live capture)
export const ListSourcesRequest = new RequestType<p.ListSources.Params, p.ListSources.Result, void>(ListSources.method);
export const SetDisabledSourcesRequest = new RequestType<p.SetDisabledSources.Params, p.SetDisabledSources.Result, void>(SetDisabledSources.method);

// Training (issue 7)
export const TrainPreflightRequest = new RequestType<p.TrainPreflight.Params, p.TrainPreflight.Result, void>(TrainPreflight.method);
export const TrainLaunchRequest = new RequestType<p.TrainLaunch.Params, p.TrainLaunch.Result, void>(TrainLaunch.method);
export const TrainRunsRequest = new RequestType<p.TrainRuns.Params, p.TrainRuns.Result, void>(TrainRuns.method);
export const TrainCancelRequest = new RequestType<p.TrainCancel.Params, p.TrainCancel.Result, void>(TrainCancel.method);
export const TrainFetchRequest = new RequestType<p.TrainFetch.Params, p.TrainFetch.Result, void>(TrainFetch.method);
export const TrainFollowRequest = new RequestType<p.TrainFollow.Params, p.TrainFollow.Result, void>(TrainFollow.method);
export const TrainUnfollowRequest = new RequestType<p.TrainUnfollow.Params, p.TrainUnfollow.Result, void>(TrainUnfollow.method);
export const TrainLogNotification = new NotificationType<p.TrainLog.Params>(TrainLog.method);
export const TrainMetricsNotification = new NotificationType<p.TrainMetrics.Params>(TrainMetrics.method);
export const TrainStateNotification = new NotificationType<p.TrainState.Params>(TrainState.method);
