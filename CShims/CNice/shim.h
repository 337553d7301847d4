// libnice + GLib: g_signal_connect and G_CALLBACK are macros and g_object_set is variadic, so the
// signals and properties the ICE adapter needs get typed wrappers here.
#ifndef SWIFTREALTIME_CNICE_SHIM_H
#define SWIFTREALTIME_CNICE_SHIM_H
#include <nice/agent.h>
#include <glib.h>
#include <glib-object.h>

typedef void (*sr_nice_candidate_gathering_done_cb)(NiceAgent *agent, guint stream_id, gpointer user);
typedef void (*sr_nice_component_state_changed_cb)(NiceAgent *agent, guint stream_id, guint component_id, guint state, gpointer user);
typedef void (*sr_nice_new_candidate_full_cb)(NiceAgent *agent, NiceCandidate *candidate, gpointer user);
typedef void (*sr_nice_new_selected_pair_full_cb)(NiceAgent *agent, guint stream_id, guint component_id, NiceCandidate *local, NiceCandidate *remote, gpointer user);

static inline gulong sr_nice_on_candidate_gathering_done(NiceAgent *a, sr_nice_candidate_gathering_done_cb cb, gpointer user) {
    return g_signal_connect(G_OBJECT(a), "candidate-gathering-done", G_CALLBACK(cb), user);
}
static inline gulong sr_nice_on_component_state_changed(NiceAgent *a, sr_nice_component_state_changed_cb cb, gpointer user) {
    return g_signal_connect(G_OBJECT(a), "component-state-changed", G_CALLBACK(cb), user);
}
static inline gulong sr_nice_on_new_candidate_full(NiceAgent *a, sr_nice_new_candidate_full_cb cb, gpointer user) {
    return g_signal_connect(G_OBJECT(a), "new-candidate-full", G_CALLBACK(cb), user);
}
static inline gulong sr_nice_on_new_selected_pair_full(NiceAgent *a, sr_nice_new_selected_pair_full_cb cb, gpointer user) {
    return g_signal_connect(G_OBJECT(a), "new-selected-pair-full", G_CALLBACK(cb), user);
}
static inline void sr_nice_set_controlling(NiceAgent *a, gboolean v) { g_object_set(G_OBJECT(a), "controlling-mode", v, NULL); }
static inline void sr_nice_set_stun_server(NiceAgent *a, const char *ip, guint port) {
    g_object_set(G_OBJECT(a), "stun-server", ip, "stun-server-port", port, NULL);
}
static inline void sr_nice_set_ice_tcp(NiceAgent *a, gboolean tcp, gboolean udp) { g_object_set(G_OBJECT(a), "ice-tcp", tcp, "ice-udp", udp, NULL); }
static inline void sr_nice_set_keepalive_conncheck(NiceAgent *a, gboolean v) { g_object_set(G_OBJECT(a), "keepalive-conncheck", v, NULL); }
/// Only relayed candidates are signalled and used (the W3C "relay" ICE transport policy).
static inline void sr_nice_set_force_relay(NiceAgent *a, gboolean v) { g_object_set(G_OBJECT(a), "force-relay", v, NULL); }
static inline void sr_nice_set_upnp(NiceAgent *a, gboolean v) { g_object_set(G_OBJECT(a), "upnp", v, NULL); }
/// Ta, the pacing of gathering and connectivity checks, in ms (libnice's default is 20).
static inline void sr_nice_set_stun_pacing_timer(NiceAgent *a, guint ms) { g_object_set(G_OBJECT(a), "stun-pacing-timer", ms, NULL); }
static inline void sr_g_object_unref(gpointer p) { g_object_unref(p); }

#endif
