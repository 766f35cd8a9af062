// The Kappa console's page: renders the state the application streams, and sends an operator's confirmed actions.
// Plain ES2020, no framework, no build. Text from the server is only ever set as textContent or an attribute value:
// nothing the application reports (payloads, errors, names) is parsed as HTML.
'use strict';

(() => {
    const base = document.querySelector('meta[name="kappa-console-base"]').content;
    const csrfToken = document.querySelector('meta[name="_csrf"]');
    const csrfHeader = document.querySelector('meta[name="_csrf_header"]');
    const SVG = 'http://www.w3.org/2000/svg';
    const numbers = new Intl.NumberFormat('en');
    const rates = new Intl.NumberFormat('en', {maximumFractionDigits: 1});

    let state = null;
    let pending = null; // the action the dialog asks about

    // ---------- small DOM helpers ----------

    // Indents JSON text by its punctuation, never parsing it: numbers stay digit for digit, however long.
    function indentJson(text) {
        let out = '';
        let depth = 0;
        let inString = false;
        const newline = () => '\n' + '  '.repeat(depth);
        for (let i = 0; i < text.length; i++) {
            const c = text[i];
            if (inString) {
                out += c;
                if (c === '\\') {
                    out += text[++i] ?? '';
                } else if (c === '"') {
                    inString = false;
                }
            } else if (c === '"') {
                inString = true;
                out += c;
            } else if (c === '{' || c === '[') {
                const close = c === '{' ? '}' : ']';
                let j = i + 1;
                while (j < text.length && /\s/.test(text[j])) {
                    j++;
                }
                if (text[j] === close) {
                    out += c + close;
                    i = j;
                } else {
                    depth++;
                    out += c + newline();
                }
            } else if (c === '}' || c === ']') {
                depth = Math.max(0, depth - 1);
                out += newline() + c;
            } else if (c === ',') {
                out += ',' + newline();
            } else if (c === ':') {
                out += ': ';
            } else if (!/\s/.test(c)) {
                out += c;
            }
        }
        return out;
    }


    function el(tag, attributes, ...children) {
        const node = document.createElement(tag);
        for (const [name, value] of Object.entries(attributes || {})) {
            if (value === null || value === undefined || value === false) {
                continue;
            }
            node.setAttribute(name, value === true ? '' : String(value));
        }
        for (const child of children) {
            if (child === null || child === undefined || child === false) {
                continue;
            }
            node.append(child instanceof Node ? child : document.createTextNode(String(child)));
        }
        return node;
    }

    function svg(tag, attributes) {
        const node = document.createElementNS(SVG, tag);
        for (const [name, value] of Object.entries(attributes || {})) {
            node.setAttribute(name, String(value));
        }
        return node;
    }

    /** Sets a figure: its human text and its raw value. */
    function figure(node, text, value) {
        if (!node) {
            return;
        }
        const raw = value === null || value === undefined ? '' : String(value);
        if (node.textContent !== text) {
            node.textContent = text;
        }
        if (node.getAttribute('data-value') !== raw) {
            node.setAttribute('data-value', raw);
        }
    }

    function count(value) {
        return value === null || value === undefined ? '—' : numbers.format(value);
    }

    function perSecond(value) {
        return value === null || value === undefined ? '—' : rates.format(value) + '/s';
    }

    function duration(seconds) {
        if (seconds === null || seconds === undefined) {
            return '—';
        }
        if (seconds < 1) {
            return seconds === 0 ? 'at head' : '< 1 s';
        }
        const s = Math.round(seconds);
        if (s < 60) {
            return s + ' s';
        }
        if (s < 3600) {
            return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
        }
        const h = Math.floor(s / 3600);
        return h >= 48 ? Math.round(h / 24) + ' days' : h + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    }

    function ago(iso) {
        if (!iso) {
            return '—';
        }
        const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
        if (seconds < 60) {
            return seconds + ' s ago';
        }
        if (seconds < 3600) {
            return Math.floor(seconds / 60) + ' min ago';
        }
        if (seconds < 172800) {
            return Math.floor(seconds / 3600) + ' h ago';
        }
        return Math.floor(seconds / 86400) + ' days ago';
    }

    function clock(iso) {
        if (!iso) {
            return '—';
        }
        const date = new Date(iso);
        return date.toLocaleString('en-GB', {hour12: false});
    }

    function tone(stateName) {
        switch (stateName) {
            case 'RUNNING':
            case 'DONE':
            case 'CAUGHT_UP':
            case 'RELAYING':
            case 'REPLAYED':
                return 'ok';
            case 'CATCHING_UP':
            case 'REBUILDING':
            case 'STARTING':
                return 'busy';
            case 'WAITING_FOR_DATABASE':
            case 'WAITING_FOR_KAFKA':
            case 'PARKED':
            case 'SKIPPED':
            case 'STANDBY':
                return 'warn';
            case 'FAILED':
            case 'REFUSED':
                return 'bad';
            default:
                return 'idle';
        }
    }

    /** An exception's class name without its package, which the title keeps. */
    function shortType(type) {
        return String(type).split('.').pop();
    }

    function badge(text) {
        return el('span', {class: 'badge', 'data-tone': tone(text)}, text.replace(/_/g, ' ').toLowerCase());
    }

    /** An element's id made from a projection's name (letters, digits, _ . -): safe as is, but kept apart. */
    function idOf(prefix, name) {
        return prefix + '-' + String(name).replace(/[^A-Za-z0-9_.-]/g, '_');
    }

    /** Replaces a node's children only when what they show changed: keeps focus and selection otherwise. */
    function renderInto(node, signature, build) {
        if (node.dataset.signature === signature) {
            return;
        }
        node.dataset.signature = signature;
        node.replaceChildren(...build());
    }

    /** Keeps one row per key in a tbody, in the order of the keys, creating and removing rows as needed. */
    function reconcile(tbody, items, keyOf, create, update) {
        const existing = new Map();
        for (const row of Array.from(tbody.rows)) {
            existing.set(row.dataset.key, row);
        }
        let previous = null;
        for (const item of items) {
            const key = keyOf(item);
            let row = existing.get(key);
            if (row) {
                existing.delete(key);
            } else {
                row = create(item);
                row.dataset.key = key;
            }
            update(row, item);
            const expected = previous ? previous.nextSibling : tbody.firstChild;
            if (row !== expected) {
                tbody.insertBefore(row, expected);
            }
            previous = row;
        }
        for (const row of existing.values()) {
            row.remove();
        }
    }

    function field(row, name) {
        return row.querySelector('[data-field="' + name + '"]');
    }

    function showEmpty(name, empty) {
        const note = document.querySelector('[data-empty="' + name + '"]');
        if (note) {
            note.hidden = !empty;
        }
    }

    function actionButton(action, projection, offset, label) {
        const attributes = {
            type: 'button',
            'data-action': action,
            'data-projection': projection,
            'aria-label': label
        };
        if (offset !== null && offset !== undefined) {
            attributes['data-offset'] = offset;
        }
        const words = {reset: 'Reset', rebuild: 'Rebuild', restart: 'Restart', skip: 'Skip', replay: 'Replay'};
        return el('button', attributes, words[action]);
    }

    function idLink(kind, value) {
        if (!value) {
            return el('span', {class: 'meta'}, '—');
        }
        return el('button', {
            type: 'button',
            class: 'id-link',
            'data-filter': value,
            title: 'Show the dead letters with this ' + kind + ' id',
            'aria-label': 'Filter dead letters by ' + kind + ' id ' + value
        }, value);
    }

    // ---------- the log ----------

    function renderLog(log) {
        const section = document.getElementById('log');
        figure(field(section, 'head'), count(log.head), log.head);
        figure(field(section, 'append-rate'), perSecond(log.appendRate), log.appendRate);
        const compaction = log.compaction;
        if (compaction) {
            const removed = compaction.supersededRemoved + compaction.tombstonesRemoved;
            const text = ago(compaction.finishedAt) + ': removed ' + numbers.format(removed) + ' record'
                + (removed === 1 ? '' : 's') + ' (' + numbers.format(compaction.supersededRemoved) + ' superseded, '
                + numbers.format(compaction.tombstonesRemoved) + ' tombstones), '
                + numbers.format(compaction.idempotencyKeysExpired) + ' idempotency keys expired; compacted through '
                + numbers.format(compaction.compactedThrough) + ' in ' + numbers.format(compaction.tookMillis) + ' ms'
                + (compaction.instanceId ? ' by ' + compaction.instanceId : '');
            figure(field(section, 'compaction'), text, compaction.finishedAt);
            field(section, 'compaction').title = clock(compaction.finishedAt);
        } else {
            figure(field(section, 'compaction'), 'never', '');
        }
        const error = field(section, 'log-error');
        error.hidden = !log.error;
        error.textContent = log.error || '';
        renderChart(log.rateSeries || []);
    }

    function renderChart(series) {
        const chart = document.getElementById('append-rate-chart');
        const width = 640;
        const height = 140;
        const title = chart.querySelector('title');
        const points = series.slice(1); // the first point has no rate of its own
        const max = Math.max(1, ...points.map(point => point.rate));
        const top = niceCeiling(max);
        const first = series.length ? Date.parse(series[0].at) : 0;
        const last = series.length ? Date.parse(series[series.length - 1].at) : 0;
        const span = Math.max(1, last - first);
        const nodes = [title];
        for (const fraction of [0.25, 0.5, 0.75]) {
            const y = (height * fraction).toFixed(1);
            nodes.push(svg('line', {class: 'grid', x1: 0, x2: width, y1: y, y2: y}));
        }
        if (points.length >= 1) {
            const coordinates = points.map(point => {
                const x = ((Date.parse(point.at) - first) / span) * width;
                const y = height - (point.rate / top) * (height - 4);
                return x.toFixed(1) + ',' + y.toFixed(1);
            });
            const startX = ((Date.parse(points[0].at) - first) / span * width).toFixed(1);
            nodes.push(svg('polygon', {
                class: 'area',
                points: startX + ',' + height + ' ' + coordinates.join(' ') + ' ' + width + ',' + height
            }));
            nodes.push(svg('polyline', {class: 'line', points: coordinates.join(' ')}));
        }
        chart.replaceChildren(...nodes);
        const minutes = Math.round(span / 60000);
        title.textContent = 'Events appended per second over the last '
            + (minutes >= 1 ? minutes + ' min' : Math.round(span / 1000) + ' s') + '; at most '
            + rates.format(max) + '/s';
        const caption = document.getElementById('append-rate-caption');
        caption.replaceChildren(
            el('span', null, series.length ? (minutes >= 1 ? minutes + ' min ago' : Math.round(span / 1000) + ' s ago') : ''),
            el('span', null, 'events appended per second (scale to ' + rates.format(top) + '/s)'),
            el('span', null, 'now'));
    }

    function niceCeiling(value) {
        const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (const step of [1, 2, 2.5, 5, 10]) {
            if (value <= step * magnitude) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    // ---------- projections ----------

    function renderProjections(projections, canAct) {
        const tbody = document.querySelector('#projections tbody');
        reconcile(tbody, projections, projection => projection.name, projection => {
            const row = el('tr', {'data-projection': projection.name},
                el('th', {scope: 'row', class: 'name'},
                    el('div', {class: 'title'}, projection.name),
                    el('div', {class: 'meta', 'data-field': 'note'}),
                    el('div', {class: 'progress-slot'}),
                    el('div', {class: 'failure-slot'})),
                el('td', {'data-field': 'state', 'data-value': ''}),
                el('td', {class: 'num', 'data-field': 'checkpoint', 'data-value': ''}),
                el('td', {class: 'num', 'data-field': 'lag', 'data-value': ''}),
                el('td', {class: 'num', 'data-field': 'rate', 'data-value': ''}),
                el('td', {class: 'num', 'data-field': 'eta', 'data-value': ''}),
                el('td', {class: 'segments-cell'}),
                el('td', {class: 'actions-cell'}));
            return row;
        }, (row, projection) => updateProjection(row, projection, canAct));
        showEmpty('projections', projections.length === 0);
    }

    function updateProjection(row, projection, canAct) {
        const stateCell = field(row, 'state');
        renderInto(stateCell, projection.state, () => [badge(projection.state)]);
        stateCell.setAttribute('data-value', projection.state);
        figure(field(row, 'checkpoint'), count(projection.checkpoint), projection.checkpoint);
        figure(field(row, 'lag'), count(projection.lag), projection.lag);
        figure(field(row, 'rate'), perSecond(projection.eventsPerSecond), projection.eventsPerSecond);
        figure(field(row, 'eta'), projection.lag === 0 ? 'at head' : duration(projection.etaSeconds),
            projection.etaSeconds);
        const notes = [];
        if (projection.generation !== null) {
            notes.push('generation ' + projection.generation);
        }
        if (projection.inMemory) {
            notes.push('in memory');
        }
        if (projection.note) {
            notes.push(projection.note);
        }
        if (projection.outage) {
            notes.push('database: ' + projection.outage);
        }
        field(row, 'note').textContent = notes.join(' · ');

        renderInto(row.querySelector('.segments-cell'), JSON.stringify(projection.segments), () => [
            el('ul', {class: 'segments', 'aria-label': 'Segments of ' + projection.name},
                ...projection.segments.map(segment => el('li', {
                        'data-segment': segment.segment,
                        'data-state': segment.state,
                        title: 'checkpoint ' + count(segment.checkpoint) + ', lag ' + count(segment.lag)
                    },
                    '#' + segment.segment + ' ', badge(segment.state), ' ',
                    el('span', {'data-field': 'owner', 'data-value': segment.owner || ''},
                        segment.owner || 'no owner'))))
        ]);

        renderProgress(row.querySelector('.progress-slot'), projection);
        renderInto(row.querySelector('.failure-slot'), JSON.stringify(projection.failure), () =>
            projection.failure ? [failureBlock(projection.failure)] : []);

        const failure = projection.failure;
        const signature = JSON.stringify([canAct, failure ? failure.offset : null]);
        renderInto(row.querySelector('.actions-cell'), signature, () => {
            if (!canAct) {
                return [];
            }
            const name = projection.name;
            const buttons = [
                actionButton('reset', name, null, 'Reset projection ' + name),
                actionButton('rebuild', name, null, 'Rebuild projection ' + name),
                actionButton('restart', name, null, 'Restart projection ' + name)
            ];
            if (failure) {
                buttons.push(actionButton('skip', name, failure.offset,
                    'Skip the event at offset ' + failure.offset + ' in projection ' + name));
            }
            return [el('div', {class: 'act'}, ...buttons)];
        });
    }

    function failureBlock(failure) {
        const ids = [];
        if (failure.streamId) {
            ids.push('stream ' + failure.streamId);
        }
        ids.push('correlation ' + (failure.correlationId || '—'));
        ids.push('causation ' + (failure.causationId || '—'));
        return el('div', {
                class: 'failure',
                'data-field': 'failure',
                'data-value': failure.offset,
                'data-offset': failure.offset,
                'data-correlation': failure.correlationId || '',
                'data-causation': failure.causationId || '',
                title: 'offset ' + failure.offset + ': ' + ids.join(', ')
            },
            el('div', null, el('strong', null, 'Stopped at offset ' + numbers.format(failure.offset)), ' · ',
                failure.eventType, ' · ', failure.attempts + ' attempt' + (failure.attempts === 1 ? '' : 's'), ' · ',
                ago(failure.failedAt)),
            el('div', {title: failure.errorType}, shortType(failure.errorType)
                + (failure.message ? ': ' + failure.message : '')),
            el('div', {class: 'ids'}, ids.join(' · ')));
    }

    function renderProgress(slot, projection) {
        const progress = projection.progress;
        if (!progress) {
            if (slot.firstChild) {
                slot.replaceChildren();
            }
            return;
        }
        const labelId = idOf('progress-label', projection.name);
        let bar = slot.querySelector('progress');
        if (!bar) {
            bar = el('progress', {'data-progress': projection.name, 'aria-labelledby': labelId});
            slot.replaceChildren(el('div', {class: 'progress-block'},
                el('div', {class: 'meta', id: labelId, 'data-field': 'progress-label'}), bar));
        }
        const span = Math.max(1, progress.head);
        bar.max = span;
        bar.value = Math.min(progress.offset, span);
        bar.setAttribute('data-kind', progress.kind);
        bar.setAttribute('data-value', progress.percent);
        const label = (progress.kind === 'rebuild' ? 'Rebuilding generation ' + progress.generation
                : 'Replaying after a reset') + ': ' + rates.format(progress.percent) + '% (' + count(progress.offset)
            + ' of ' + count(progress.head) + '), ' + perSecond(progress.eventsPerSecond) + ', ETA '
            + duration(progress.etaSeconds);
        figure(slot.querySelector('[data-field="progress-label"]'), label, progress.percent);
    }

    // ---------- dead letters ----------

    function renderDeadLetters(projections, canAct) {
        const letters = [];
        for (const projection of projections) {
            for (const letter of projection.deadLetters) {
                letters.push({projection: projection.name, letter});
            }
        }
        const tbody = document.querySelector('#dead-letters tbody');
        reconcile(tbody, letters, item => item.projection + '@' + item.letter.offset + '#' + item.letter.generation,
            item => el('tr', {
                    'data-dead-letter': '',
                    'data-projection': item.projection,
                    'data-offset': item.letter.offset
                },
                el('th', {scope: 'row'}, el('span', {class: 'title'}, item.projection)),
                el('td', {class: 'num', 'data-field': 'offset', 'data-value': item.letter.offset}),
                el('td', {'data-field': 'event'}),
                el('td', null, el('pre', {'data-field': 'payload', tabindex: 0})),
                el('td', {'data-field': 'error'}),
                el('td', {'data-field': 'state', 'data-value': ''}),
                el('td', {'data-field': 'correlation', 'data-value': ''}),
                el('td', {'data-field': 'causation', 'data-value': ''}),
                el('td', {class: 'actions-cell'})),
            (row, item) => updateDeadLetter(row, item.projection, item.letter, canAct));
        showEmpty('dead-letters', letters.length === 0);
        applyFilter();
    }

    function updateDeadLetter(row, projection, letter, canAct) {
        figure(field(row, 'offset'), numbers.format(letter.offset), letter.offset);
        renderInto(field(row, 'event'), JSON.stringify([letter.eventType, letter.streamId, letter.streamVersion,
            letter.decidedBy, letter.note, letter.failedAt]), () => [
            el('div', null, letter.eventType),
            el('div', {class: 'meta'}, letter.streamId + ' v' + letter.streamVersion),
            el('div', {class: 'meta'}, 'by ' + letter.decidedBy + (letter.note ? ': “' + letter.note + '”' : '')),
            el('div', {class: 'meta', title: clock(letter.failedAt)}, 'failed ' + ago(letter.failedAt))
        ]);
        const payload = field(row, 'payload');
        const pretty = letter.payload === null || letter.payload === undefined ? '(not kept)'
            : indentJson(letter.payload);
        if (payload.textContent !== pretty) {
            payload.textContent = pretty;
        }
        payload.setAttribute('aria-label', 'Payload of the event at offset ' + letter.offset);
        const error = shortType(letter.errorType) + (letter.message ? ': ' + letter.message : '') + ' ('
            + letter.attempts + ' attempt' + (letter.attempts === 1 ? '' : 's') + ')';
        figure(field(row, 'error'), error, letter.errorType);
        field(row, 'error').title = letter.errorType;
        const stateCell = field(row, 'state');
        renderInto(stateCell, letter.state, () => [badge(letter.state)]);
        stateCell.setAttribute('data-value', letter.state);
        const correlation = field(row, 'correlation');
        renderInto(correlation, letter.correlationId || '', () => [idLink('correlation', letter.correlationId)]);
        correlation.setAttribute('data-value', letter.correlationId || '');
        const causation = field(row, 'causation');
        renderInto(causation, letter.causationId || '', () => [idLink('causation', letter.causationId)]);
        causation.setAttribute('data-value', letter.causationId || '');
        row.dataset.search = [letter.offset, letter.streamId, letter.correlationId || '', letter.causationId || '',
            letter.eventType].join(' ').toLowerCase();
        const replayable = canAct && letter.state !== 'REPLAYED';
        renderInto(row.querySelector('.actions-cell'), String(replayable), () => replayable
            ? [actionButton('replay', projection, letter.offset,
                'Replay the dead letter at offset ' + letter.offset + ' of projection ' + projection)]
            : []);
    }

    function applyFilter() {
        const filter = document.getElementById('dead-letter-filter').value.trim().toLowerCase();
        for (const row of document.querySelectorAll('#dead-letters tbody tr')) {
            row.hidden = filter !== '' && !(row.dataset.search || '').includes(filter);
        }
    }

    // ---------- fleet, relay, actions ----------

    function renderFleet(fleet) {
        const tbody = document.querySelector('#fleet tbody');
        reconcile(tbody, fleet, instance => instance.instanceId, instance => el('tr', {
                'data-instance': instance.instanceId
            },
            el('th', {scope: 'row', class: 'title'}),
            el('td', {'data-field': 'alive', 'data-value': ''}),
            el('td', {'data-field': 'heartbeat', 'data-value': ''}),
            el('td', {class: 'num', 'data-field': 'segments', 'data-value': ''}),
            el('td', {'data-field': 'projections'})), (row, instance) => {
            const name = row.querySelector('th');
            name.textContent = instance.instanceId + (instance.self ? ' (this instance)' : '');
            const alive = field(row, 'alive');
            renderInto(alive, String(instance.alive), () => [badge(instance.alive ? 'RUNNING' : 'FAILED')]);
            alive.firstChild.textContent = instance.alive ? 'alive' : 'lapsed';
            alive.setAttribute('data-value', String(instance.alive));
            figure(field(row, 'heartbeat'), instance.heartbeatUntil ? clock(instance.heartbeatUntil) : '—',
                instance.heartbeatUntil);
            figure(field(row, 'segments'), count(instance.segments), instance.segments);
            figure(field(row, 'projections'), instance.projections.join(', ') || '—', instance.projections.join(','));
        });
    }

    function renderRelay(relay) {
        let section = document.getElementById('relay');
        if (!relay) {
            if (section) {
                section.remove();
            }
            return;
        }
        if (!section) {
            section = el('section', {id: 'relay', 'aria-labelledby': 'relay-title'},
                el('h2', {id: 'relay-title'}, 'Kafka relay'),
                el('dl', {class: 'figures relay-figures'},
                    el('div', null, el('dt', null, 'State'), el('dd', {'data-field': 'relay-state', 'data-value': ''})),
                    el('div', null, el('dt', null, 'Lag'), el('dd', {'data-field': 'relay-lag', 'data-value': ''})),
                    el('div', null, el('dt', null, 'Relayed offset'),
                        el('dd', {'data-field': 'relay-offset', 'data-value': ''})),
                    el('div', null, el('dt', null, 'Rate'), el('dd', {'data-field': 'relay-rate', 'data-value': ''}))),
                el('p', {class: 'problem', 'data-field': 'relay-error', hidden: true}));
            document.getElementById('log').after(section);
        }
        const stateCell = field(section, 'relay-state');
        renderInto(stateCell, relay.state, () => [badge(relay.state)]);
        stateCell.setAttribute('data-value', relay.state);
        figure(field(section, 'relay-lag'), relay.lag < 0 ? 'unknown' : count(relay.lag), relay.lag);
        figure(field(section, 'relay-offset'), relay.relayedOffset < 0 ? 'unknown' : count(relay.relayedOffset),
            relay.relayedOffset);
        figure(field(section, 'relay-rate'), perSecond(relay.eventsPerSecond), relay.eventsPerSecond);
        const error = field(section, 'relay-error');
        error.hidden = !relay.error;
        error.textContent = relay.error || '';
    }

    function renderActions(actions) {
        const tbody = document.querySelector('#actions tbody');
        reconcile(tbody, actions, record => [record.at, record.projection, record.action, record.user].join('|'),
            record => el('tr', {'data-action-record': '', 'data-outcome': record.outcome},
                el('td', {title: clock(record.at), 'data-field': 'at', 'data-value': record.at}, clock(record.at)),
                el('td', {'data-field': 'user'}, record.user || '—'),
                el('td', {'data-field': 'projection'}, record.projection),
                el('td', {'data-field': 'action'}, record.action),
                el('td', {class: 'num', 'data-field': 'offset', 'data-value': record.offset === null ? '' : record.offset},
                    record.offset === null ? '—' : numbers.format(record.offset)),
                el('td', {'data-field': 'outcome', 'data-value': record.outcome}, record.outcome.toLowerCase()),
                el('td', {'data-field': 'detail'}, record.detail + (record.note ? ' — note: ' + record.note : ''))),
            () => {
            });
        showEmpty('actions', actions.length === 0);
    }

    function renderUser(user, canAct) {
        const node = document.getElementById('user');
        renderInto(node, JSON.stringify([user, canAct]), () => user
            ? [el('span', {title: canAct ? 'may act' : 'read-only: no write access or no operator role'}, user)]
            : ['read-only', ' ', el('a', {id: 'sign-in', href: base + '/sign-in'}, 'Sign in')]);
        node.setAttribute('data-value', user || '');
        node.setAttribute('data-can-act', String(canAct));
    }

    function render(next) {
        state = next;
        figure(document.getElementById('instance'), next.instanceId || '—', next.instanceId);
        renderUser(next.user, next.canAct);
        renderLog(next.log);
        renderRelay(next.relay);
        renderProjections(next.projections, next.canAct);
        renderDeadLetters(next.projections, next.canAct);
        renderFleet(next.fleet);
        renderActions(next.actions);
    }

    // ---------- live stream ----------

    function connection(live) {
        const node = document.getElementById('connection');
        node.setAttribute('data-state', live ? 'live' : 'down');
        node.textContent = live ? 'live' : 'reconnecting…';
    }

    function follow() {
        const source = new EventSource(base + '/stream');
        source.addEventListener('open', () => connection(true));
        source.addEventListener('state', event => {
            connection(true);
            render(JSON.parse(event.data));
        });
        source.addEventListener('error', () => {
            connection(false);
            if (source.readyState === EventSource.CLOSED) {
                // the server refused (too many streams, or signed out): try again a little later
                setTimeout(follow, 5000);
            }
        });
    }

    async function refresh() {
        try {
            const response = await fetch(base + '/state', {credentials: 'same-origin', cache: 'no-store'});
            if (response.ok) {
                render(await response.json());
            }
        } catch (ignored) {
            // the stream says whether the application is reachable
        }
    }

    // ---------- actions ----------

    const questions = {
        reset: name => 'Reset projection ' + name + '? Its read model is cleared back to the offset below and the log'
            + ' replayed from there; readers see it rebuild.',
        rebuild: name => 'Rebuild projection ' + name + ' beside the version readers use? Readers switch once the'
            + ' new one has caught up.',
        restart: name => 'Restart projection ' + name + '? A failed segment tries its event again.',
        skip: (name, offset) => 'Skip the event at offset ' + offset + ' in projection ' + name + '? It is kept as a'
            + ' dead letter and the projection moves on.',
        replay: (name, offset) => 'Replay the dead letter at offset ' + offset + ' of projection ' + name + '? Its'
            + ' event is applied now, after the events that followed it.'
    };

    function ask(button) {
        const action = button.getAttribute('data-action');
        const projection = button.getAttribute('data-projection');
        const offset = button.hasAttribute('data-offset') ? Number(button.getAttribute('data-offset')) : null;
        pending = {action, projection, offset, button};
        const dialog = document.getElementById('confirm');
        document.getElementById('confirm-title').textContent = action.charAt(0).toUpperCase() + action.slice(1)
            + ' ' + projection;
        document.getElementById('confirm-text').textContent = questions[action](projection, offset);
        dialog.querySelector('[data-for="note"]').hidden = action !== 'skip';
        dialog.querySelector('[data-for="offset"]').hidden = action !== 'reset';
        document.getElementById('confirm-note').value = '';
        document.getElementById('confirm-offset').value = '0';
        const yes = document.getElementById('confirm-yes');
        yes.textContent = action.charAt(0).toUpperCase() + action.slice(1);
        yes.setAttribute('aria-label', button.getAttribute('aria-label'));
        dialog.showModal();
        (action === 'skip' ? document.getElementById('confirm-note') : document.getElementById('confirm-no')).focus();
    }

    function notice(kind, text) {
        const node = document.getElementById('notice');
        node.setAttribute('data-kind', kind);
        node.textContent = text;
    }

    async function perform(request) {
        const body = {confirm: true};
        if (request.action === 'reset') {
            const value = document.getElementById('confirm-offset').value.trim();
            if (!/^[0-9]+$/.test(value || '0')) {
                notice('error', 'Reset of ' + request.projection + ' not sent: the offset must be a whole number'
                    + ' from 0.');
                return;
            }
            body.offset = Number(value || '0');
        } else if (request.offset !== null) {
            body.offset = request.offset;
        }
        if (request.action === 'skip') {
            const note = document.getElementById('confirm-note').value.trim();
            if (note) {
                body.note = note;
            }
        }
        const headers = {'Content-Type': 'application/json', 'Accept': 'application/json, application/problem+json'};
        if (csrfToken && csrfHeader) {
            headers[csrfHeader.content] = csrfToken.content;
        }
        notice('pending', request.action + ' of ' + request.projection + '…');
        try {
            const response = await fetch(base + '/projections/' + encodeURIComponent(request.projection) + '/'
                + encodeURIComponent(request.action), {
                method: 'POST',
                credentials: 'same-origin',
                headers,
                body: JSON.stringify(body)
            });
            let answer = null;
            try {
                answer = await response.json();
            } catch (ignored) {
                answer = null;
            }
            if (response.ok) {
                notice('ok', (answer && answer.result) || 'Done.');
            } else {
                const detail = answer && (answer.detail || answer.title);
                notice('error', 'Not done (' + response.status + '): ' + (detail || response.statusText));
            }
        } catch (failure) {
            notice('error', 'Not sent: the application did not answer (' + failure.message + ').');
        }
        refresh();
    }

    // ---------- wiring ----------

    document.addEventListener('click', event => {
        const target = event.target instanceof Element ? event.target : null;
        const button = target && target.closest('button[data-action]');
        if (button && !button.closest('dialog')) {
            ask(button);
            return;
        }
        const link = target && target.closest('button[data-filter]');
        if (link) {
            const input = document.getElementById('dead-letter-filter');
            input.value = link.getAttribute('data-filter');
            applyFilter();
            input.focus();
        }
    });

    document.getElementById('dead-letter-filter').addEventListener('input', applyFilter);

    const dialog = document.getElementById('confirm');
    document.getElementById('confirm-no').addEventListener('click', () => dialog.close('no'));
    dialog.addEventListener('close', () => {
        const request = pending;
        pending = null;
        if (request && dialog.returnValue === 'yes') {
            perform(request);
        }
        if (request && request.button && request.button.isConnected) {
            request.button.focus();
        }
        dialog.returnValue = '';
    });

    // relative times move on even when nothing else does
    setInterval(() => {
        if (state) {
            renderLog(state.log);
        }
    }, 15000);

    refresh();
    follow();
})();
