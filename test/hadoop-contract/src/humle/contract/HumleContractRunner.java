package humle.contract;

import java.util.ArrayList;
import java.util.List;
import org.junit.runner.Description;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Runs HumleContractSuites with JUnit 4 (Hadoop 3.4.1's suites are JUnit 4) and prints one line per test
 * ("PASS", "FAIL", "SKIP" with the suite and test names), each failure's message, and a last line
 * "SUMMARY passed=N failed=N skipped=N" that test/server/webhdfs-hadoop-contract.test.ts reads. Exits 1 when a test
 * failed. Arguments, when given, pick suites by simple name (Create, Open, ...).
 */
public final class HumleContractRunner {
  private HumleContractRunner() {}

  public static void main(String[] args) {
    List<Class<?>> suites = new ArrayList<>();
    for (Class<?> suite : HumleContractSuites.ALL) {
      if (args.length == 0 || List.of(args).contains(suite.getSimpleName())) suites.add(suite);
    }
    JUnitCore junit = new JUnitCore();
    Outcomes outcomes = new Outcomes();
    junit.addListener(outcomes);
    Result result = junit.run(suites.toArray(new Class<?>[0]));
    // A test may report more than one failure (its body and its teardown): tests are counted once, by outcome.
    System.out.println("SUMMARY passed=" + outcomes.passed + " failed=" + outcomes.failed + " skipped=" + outcomes.skipped);
    System.exit(outcomes.failed == 0 && result.getFailureCount() == 0 ? 0 : 1);
  }

  /** "Suite.test", without spaces (parameterized tests are named "test[Buffer type : direct]"), one word per line. */
  private static String name(Description test) {
    String suite = test.getClassName();
    return (suite.substring(suite.lastIndexOf('$') + 1) + "." + test.getMethodName()).replace(" ", "");
  }

  /** Prints each test as it ends; JUnit's Result does not count assumption failures (skips) on its own. */
  private static final class Outcomes extends RunListener {
    int passed;
    int failed;
    int skipped;
    /** The outcome of the running test so far: null (passing), "FAIL" or "SKIP". */
    private String outcome;

    @Override
    public void testStarted(Description test) {
      outcome = null;
    }

    @Override
    public void testFailure(Failure failure) {
      // A failure outside any test (a suite's setup) has no test to count: it fails the run through JUnit's Result.
      if (failure.getDescription().getMethodName() != null) outcome = "FAIL";
      System.out.println("FAIL " + name(failure.getDescription()) + ": " + failure.getException());
      String trace = failure.getTrace();
      System.out.println("  " + trace.lines().limit(12).reduce((a, b) -> a + "\n  " + b).orElse(""));
    }

    @Override
    public void testAssumptionFailure(Failure failure) {
      if (outcome == null) outcome = "SKIP";
      System.out.println("SKIP " + name(failure.getDescription()) + ": " + failure.getMessage());
    }

    @Override
    public void testIgnored(Description test) {
      skipped++;
      System.out.println("SKIP " + name(test) + ": @Ignore");
    }

    @Override
    public void testFinished(Description test) {
      if (outcome == null) {
        passed++;
        System.out.println("PASS " + name(test));
      } else if (outcome.equals("FAIL")) failed++;
      else skipped++;
    }
  }
}
