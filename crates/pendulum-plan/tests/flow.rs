//! The minimum-cost flow against answers it cannot have produced itself: hand-computed
//! optima, exhaustive enumeration of every integral flow on random tiny networks, and, on
//! larger random networks, the absence of a negative-cost cycle in the residual network.

use pendulum_plan::flow::{FlowError, Network};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A network given as `(tail, head, capacity, cost)` arcs and supplies.
fn network(supplies: &[i64], arcs: &[(usize, usize, i64, i64)]) -> Network {
    let mut network = Network::new(supplies.len());
    for (node, &supply) in supplies.iter().enumerate() {
        network.set_supply(node, supply);
    }
    for &(tail, head, capacity, cost) in arcs {
        network.add_arc(tail, head, capacity, cost);
    }
    network
}

/// Checks that `flows` respects every capacity and every supply, and returns its cost.
fn feasible_cost(network: &Network, flows: &[i64]) -> Option<i64> {
    let mut balance: Vec<i64> = (0..network.node_count())
        .map(|n| network.supply(n))
        .collect();
    let mut cost = 0;
    for (arc, &units) in network.arcs().iter().zip(flows) {
        if units < 0 || units > arc.capacity {
            return None;
        }
        balance[arc.tail] -= units;
        balance[arc.head] += units;
        cost += units * arc.cost;
    }
    balance.iter().all(|&b| b == 0).then_some(cost)
}

/// The optimum by trying every integral flow; `None` if no flow is feasible.
fn brute_force(network: &Network) -> Option<i64> {
    let capacities: Vec<i64> = network.arcs().iter().map(|a| a.capacity).collect();
    let mut flows = vec![0i64; capacities.len()];
    let mut best = None;
    loop {
        if let Some(cost) = feasible_cost(network, &flows) {
            best = Some(best.map_or(cost, |b: i64| b.min(cost)));
        }
        // The next flow vector, as an odometer over the capacities.
        let mut arc = 0;
        loop {
            if arc == flows.len() {
                return best;
            }
            if flows[arc] < capacities[arc] {
                flows[arc] += 1;
                break;
            }
            flows[arc] = 0;
            arc += 1;
        }
    }
}

/// Whether the residual network of `flows` has a cycle of negative cost (Bellman-Ford from
/// every node at once). A feasible flow is optimal exactly when it has none.
fn has_negative_residual_cycle(network: &Network, flows: &[i64]) -> bool {
    let mut residual = Vec::new();
    for (arc, &units) in network.arcs().iter().zip(flows) {
        if units < arc.capacity {
            residual.push((arc.tail, arc.head, arc.cost));
        }
        if units > 0 {
            residual.push((arc.head, arc.tail, -arc.cost));
        }
    }
    let mut distance = vec![0i64; network.node_count()];
    for _ in 0..network.node_count() {
        let mut changed = false;
        for &(tail, head, cost) in &residual {
            if distance[tail] + cost < distance[head] {
                distance[head] = distance[tail] + cost;
                changed = true;
            }
        }
        if !changed {
            return false;
        }
    }
    true
}

#[test]
fn cheap_path_fills_before_the_dear_one() {
    let network = network(&[3, 0, -3], &[(0, 1, 2, 1), (1, 2, 2, 1), (0, 2, 5, 5)]);
    let flow = network.solve().unwrap();
    assert_eq!(flow.flows(), &[2, 2, 1]);
    assert_eq!(flow.cost(), 9);
}

#[test]
fn negative_cycle_of_finite_capacity_is_saturated() {
    // 0 -> 1 -> 2 -> 0 costs -2 + 1 + 0 = -1 a unit and carries at most 2 units.
    let network = network(&[0, 0, 0], &[(0, 1, 3, -2), (1, 2, 2, 1), (2, 0, 5, 0)]);
    let flow = network.solve().unwrap();
    assert_eq!(flow.flows(), &[2, 2, 2]);
    assert_eq!(flow.cost(), -2);
}

#[test]
fn negative_cycle_beside_a_supply_route() {
    // Units must go 0 -> 3; a negative cycle 1 -> 2 -> 1 is worth using on its own.
    let network = network(
        &[2, 0, 0, -2],
        &[
            (0, 3, 1, 4),
            (0, 1, 2, 1),
            (1, 3, 2, 1),
            (1, 2, 4, -3),
            (2, 1, 3, 1),
        ],
    );
    let flow = network.solve().unwrap();
    assert_eq!(flow.cost(), brute_force(&network).unwrap());
    assert_eq!(flow.cost(), 2 * 2 + 3 * (-2));
}

#[test]
fn empty_network_costs_nothing() {
    let flow = Network::new(0).solve().unwrap();
    assert_eq!(flow.cost(), 0);
    assert!(flow.flows().is_empty());
}

#[test]
fn supply_beyond_capacity_is_infeasible() {
    let network = network(&[5, 0, -5], &[(0, 1, 3, 1), (1, 2, 10, 1)]);
    assert_eq!(
        network.solve(),
        Err(FlowError::Infeasible {
            routed: 3,
            required: 5
        })
    );
}

#[test]
fn supply_without_a_path_is_infeasible() {
    let network = network(&[1, 0, -1], &[(0, 1, 3, 1)]);
    assert!(matches!(
        network.solve(),
        Err(FlowError::Infeasible { routed: 0, .. })
    ));
}

#[test]
fn unbalanced_supplies_are_refused() {
    let network = network(&[2, -1], &[(0, 1, 5, 1)]);
    assert_eq!(network.solve(), Err(FlowError::Unbalanced { total: 1 }));
}

#[test]
fn bad_arcs_are_refused() {
    let unknown = network(&[0, 0], &[(0, 2, 1, 1)]);
    assert_eq!(
        unknown.solve(),
        Err(FlowError::UnknownNode {
            arc: 0,
            node: 2,
            nodes: 2
        })
    );
    let mut stray = network(&[1, -1], &[(0, 1, 1, 1)]);
    stray.set_supply(5, 1);
    assert_eq!(
        stray.solve(),
        Err(FlowError::UnknownSupplyNode { node: 5, nodes: 2 })
    );
    let negative = network(&[0, 0], &[(0, 1, 1, 1), (1, 0, -1, 1)]);
    assert_eq!(
        negative.solve(),
        Err(FlowError::NegativeCapacity {
            arc: 1,
            capacity: -1
        })
    );
}

#[test]
fn negative_cycle_of_near_unbounded_capacity_is_an_error_not_a_panic() {
    let huge = i64::MAX / 2;
    let network = network(&[0, 0], &[(0, 1, huge, -1), (1, 0, huge, 0)]);
    assert_eq!(network.solve(), Err(FlowError::Overflow));
    let dear = network_with_cost(i64::MAX / 3);
    assert_eq!(dear.solve(), Err(FlowError::Overflow));
}

fn network_with_cost(cost: i64) -> Network {
    network(&[1, -1], &[(0, 1, 1, cost)])
}

/// A random tiny network: few enough flows to enumerate, supplies that sum to zero, costs of
/// both signs (so negative cycles are common), capacities of zero included.
fn tiny_network(rng: &mut ChaCha8Rng) -> Network {
    let nodes = rng.random_range(2..=4);
    let arcs = rng.random_range(1..=6);
    let mut supplies = vec![0i64; nodes];
    for _ in 0..rng.random_range(0..=3) {
        let from = rng.random_range(0..nodes);
        let to = rng.random_range(0..nodes);
        supplies[from] += 1;
        supplies[to] -= 1;
    }
    let arcs: Vec<_> = (0..arcs)
        .map(|_| {
            (
                rng.random_range(0..nodes),
                rng.random_range(0..nodes),
                rng.random_range(0..=3),
                rng.random_range(-6..=6),
            )
        })
        .collect();
    network(&supplies, &arcs)
}

#[test]
fn optimum_equals_brute_force_on_random_tiny_networks() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let (mut solved, mut infeasible) = (0, 0);
    for case in 0..4000 {
        let network = tiny_network(&mut rng);
        match (network.solve(), brute_force(&network)) {
            (Ok(flow), Some(best)) => {
                assert_eq!(
                    feasible_cost(&network, flow.flows()),
                    Some(flow.cost()),
                    "case {case}: the flow breaks a constraint or misstates its cost: {network:?}"
                );
                assert_eq!(flow.cost(), best, "case {case}: not optimal: {network:?}");
                solved += 1;
            }
            (Err(FlowError::Infeasible { .. }), None) => infeasible += 1,
            (answer, best) => {
                panic!("case {case}: solver says {answer:?}, brute force {best:?}: {network:?}")
            }
        }
    }
    // Both outcomes must really be exercised for the comparison to mean anything.
    assert!(
        solved > 1000 && infeasible > 100,
        "{solved} solved, {infeasible} infeasible"
    );
}

#[test]
fn no_negative_residual_cycle_on_random_larger_networks() {
    let mut rng = ChaCha8Rng::seed_from_u64(60);
    for case in 0..200 {
        let nodes = rng.random_range(5..60);
        let mut supplies = vec![0i64; nodes];
        let mut arcs = Vec::new();
        // A spanning path in both directions with ample capacity keeps most cases feasible.
        for node in 1..nodes {
            arcs.push((node - 1, node, 1000, rng.random_range(0..=50)));
            arcs.push((node, node - 1, 1000, rng.random_range(0..=50)));
        }
        for _ in 0..rng.random_range(nodes..nodes * 6) {
            arcs.push((
                rng.random_range(0..nodes),
                rng.random_range(0..nodes),
                rng.random_range(0..=20),
                rng.random_range(-1000..=1000),
            ));
        }
        for _ in 0..nodes {
            let units = rng.random_range(0..=10);
            supplies[rng.random_range(0..nodes)] += units;
            supplies[rng.random_range(0..nodes)] -= units;
        }
        let network = network(&supplies, &arcs);
        let flow = network.solve().unwrap();
        assert_eq!(
            feasible_cost(&network, flow.flows()),
            Some(flow.cost()),
            "case {case}"
        );
        assert!(
            !has_negative_residual_cycle(&network, flow.flows()),
            "case {case}: a negative residual cycle remains, so the flow is not optimal"
        );
    }
}
