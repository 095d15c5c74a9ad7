package humle.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractAppendTest;
import org.apache.hadoop.fs.contract.AbstractContractConcatTest;
import org.apache.hadoop.fs.contract.AbstractContractContentSummaryTest;
import org.apache.hadoop.fs.contract.AbstractContractCreateTest;
import org.apache.hadoop.fs.contract.AbstractContractDeleteTest;
import org.apache.hadoop.fs.contract.AbstractContractGetFileStatusTest;
import org.apache.hadoop.fs.contract.AbstractContractMkdirTest;
import org.apache.hadoop.fs.contract.AbstractContractOpenTest;
import org.apache.hadoop.fs.contract.AbstractContractRenameTest;
import org.apache.hadoop.fs.contract.AbstractContractRootDirectoryTest;
import org.apache.hadoop.fs.contract.AbstractContractSeekTest;
import org.apache.hadoop.fs.contract.AbstractContractSetTimesTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.Assume;

/**
 * Hadoop 3.4.1's abstract FileSystem contract suites, each bound to Humle's WebHDFS. The only tests left out are the
 * ones Hadoop's own TestRouterWebHDFSContract* classes (hadoop-hdfs-rbf) leave out because WebHDFS itself does not
 * support them; they are skipped (an assumption failure, counted as skipped) with Hadoop's reason, not passed.
 */
public final class HumleContractSuites {
  private HumleContractSuites() {}

  /** Every suite, in the order they run. */
  public static final Class<?>[] ALL = {
    Create.class, Open.class, Rename.class, Delete.class, Mkdir.class, GetFileStatus.class, Append.class,
    Concat.class, Seek.class, SetTimes.class, ContentSummary.class, RootDirectory.class,
  };

  static void unsupportedByWebHdfs(String reason) {
    Assume.assumeTrue("unsupported by WebHDFS itself (as in Hadoop's TestRouterWebHDFSContract*): " + reason, false);
  }

  public static class Create extends AbstractContractCreateTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Open extends AbstractContractOpenTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }

    @Override
    public void testOpenReadDir() {
      unsupportedByWebHdfs("WebHdfsFileSystem opens a directory without an error; the error comes at the first read");
    }

    @Override
    public void testOpenReadDirWithChild() {
      unsupportedByWebHdfs("WebHdfsFileSystem opens a directory without an error; the error comes at the first read");
    }
  }

  public static class Rename extends AbstractContractRenameTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Delete extends AbstractContractDeleteTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Mkdir extends AbstractContractMkdirTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class GetFileStatus extends AbstractContractGetFileStatusTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Append extends AbstractContractAppendTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Concat extends AbstractContractConcatTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Seek extends AbstractContractSeekTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }

    @Override
    public void testNegativeSeek() {
      unsupportedByWebHdfs("WebHdfsFileSystem's stream takes a negative seek lazily; the error comes at the next read");
    }

    @Override
    public void testSeekReadClosedFile() {
      unsupportedByWebHdfs("WebHdfsFileSystem's stream does not refuse a seek on a closed stream");
    }

    @Override
    public void testSeekPastEndOfFileThenReseekAndRead() {
      unsupportedByWebHdfs("WebHdfsFileSystem's stream takes a seek past the end lazily; the error comes at the next read");
    }
  }

  public static class SetTimes extends AbstractContractSetTimesTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class ContentSummary extends AbstractContractContentSummaryTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class RootDirectory extends AbstractContractRootDirectoryTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }
}
